/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "apic_test_util.h"
#include "emu/emu.h"

struct check {
	int line;
	const char *what;
	uint64_t got, want;
};

static struct check checks[512];
static unsigned nchecks;
static bool overflow;
static void (*cur_body)(void);

void apic_check(int line, const char *what, uint64_t got, uint64_t want)
{
	if (nchecks == sizeof(checks) / sizeof(checks[0])) {
		overflow = true;
		return;
	}
	checks[nchecks++] = (struct check){ line, what, got, want };
}

static void trampoline(void *arg)
{
	(void)arg;
	cur_body();
}

static unsigned naccepts;
static struct hv_event accepted;

static void listen(void *user, const struct hv_event *ev)
{
	(void)user;
	if (ev->type == HV_EV_APIC_ACCEPT) {
		naccepts++;
		accepted = *ev;
	}
}

unsigned accepts(void)
{
	return naccepts;
}

const struct hv_event *last_accept(void)
{
	return &accepted;
}

void apic_run(uint32_t ncpus, void (*body)(void))
{
	struct emu_config cfg;
	struct emu_machine *m;
	char err[256];
	unsigned bad = 0;
	int rc;

	nchecks = 0;
	overflow = false;
	cur_body = body;
	emu_config_default(&cfg);
	cfg.ncpus = ncpus;
	m = emu_machine_create(&cfg, err, sizeof(err));
	if (!m)
		print_error("machine: %s\n", err);
	assert_non_null(m);
	naccepts = 0;
	emu_set_event_listener(m, listen, NULL);
	rc = emu_machine_run(m, trampoline, NULL);
	if (rc != 0)
		print_error("model run failed: %s\n", emu_machine_error(m));
	emu_machine_destroy(m);
	assert_int_equal(rc, 0);
	assert_false(overflow);
	assert_true(nchecks > 0);
	for (unsigned i = 0; i < nchecks; i++) {
		if (checks[i].got == checks[i].want)
			continue;
		print_error("line %d: %s = %#llx, want %#llx\n", checks[i].line, checks[i].what,
			    (unsigned long long)checks[i].got, (unsigned long long)checks[i].want);
		bad++;
	}
	assert_int_equal(bad, 0);
}

struct emu_cpu *apic_cpu(uint32_t i)
{
	return &emu_current_cpu()->m->cpu[i];
}

uint32_t reg(struct emu_cpu *cpu, uint32_t off)
{
	return apic_model_arch_read(cpu, off);
}

void reg_set(struct emu_cpu *cpu, uint32_t off, uint32_t v)
{
	apic_model_arch_write(cpu, off, v);
}

bool vec_bit(struct emu_cpu *cpu, uint32_t base, uint8_t v)
{
	return (reg(cpu, APIC_VECTOR_REG(base, v)) & APIC_VECTOR_BIT(v)) != 0;
}

void sw_enable(struct emu_cpu *cpu)
{
	reg_set(cpu, APIC_SVR, APIC_SVR_ENABLE | 0xff);
}

void to_x2apic(struct emu_cpu *cpu)
{
	uint64_t base;

	apic_model_rdmsr(cpu, MSR_IA32_APIC_BASE, &base);
	apic_model_wrmsr(cpu, MSR_IA32_APIC_BASE, base | MSR_APIC_BASE_EXTD);
}

int irr_count(struct emu_cpu *cpu)
{
	int n = 0;

	for (int i = 0; i < 8; i++)
		n += __builtin_popcount(reg(cpu, APIC_IRR + 0x10u * (uint32_t)i));
	return n;
}
