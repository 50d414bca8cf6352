/* SPDX-License-Identifier: MIT */
/*
 * A run's result must not depend on where the scheduler stops it. The same
 * long program — a caller loop around a callee loop, stores in both — runs
 * under quanta from 10^3 to 10^9 cycles (the last never stops it): as a
 * long-mode guest with and without nested paging, as a real-mode guest
 * (CS base not 0), and outside guest mode in code a start-up IPI took to
 * long mode. Every run must give the architectural result worked out here
 * and the same final registers, cycle count and instruction count as the
 * run that was never stopped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "emu/src/emu_internal.h"
#include "guest_util.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define SNIPPET(name) extern const uint8_t name[], name##_end[]
SNIPPET(t64_qprog);
SNIPPET(t16_climb);
SNIPPET(t16_qprog);
extern const uint8_t t64_qprog_bare[];

#define OUTER 300u       /* memsets in the long-mode program */
#define LEN64 4133u      /* bytes per memset */
#define OUTER16 200u
#define LEN16 1500u
#define BUF16 0x2000u    /* CS-relative buffer of the real-mode program */
#define SIPI_PAGE 0x90000u
#define QPARAM (SIPI_PAGE + 0xf30)
#define NPT_RWU (X86_PTE_P | X86_PTE_W | X86_PTE_U)

enum where { LONG_GUEST, LONG_GUEST_NPT, REAL_GUEST, BARE_LONG };

struct outcome {
	uint64_t sum, buf, end, rsp, rsp_expected, rip, exit_code;
	uint64_t cycle, insns;
};

static enum where where;
static struct outcome out;

/* Identity nested tables for the first 4 GiB with 2 MiB leaves. */
static void identity_npt(struct tguest *g)
{
	uint64_t root = arch_page_alloc(), pdpt = arch_page_alloc();
	uint64_t *p3 = arch_phys_to_virt(pdpt);

	((uint64_t *)arch_phys_to_virt(root))[0] = pdpt | NPT_RWU;
	for (int i = 0; i < 4; i++) {
		uint64_t pd = arch_page_alloc(), *p2 = arch_phys_to_virt(pd);

		p3[i] = pd | NPT_RWU;
		for (int j = 0; j < 512; j++)
			p2[j] = ((uint64_t)(i * 512 + j) << 21) | NPT_RWU | X86_PTE_PS;
	}
	g->vmcb->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	g->vmcb->control.nested_cr3 = root;
	g->vmcb->save.g_pat = 0x0007040600070406ull;
}

static void guest_fn(void *arg)
{
	struct emu_cpu *cpu = emu_current_cpu();
	struct tguest g;

	(void)arg;
	tg_svm_on();
	if (where == REAL_GUEST) {
		tg_real(&g, t16_qprog, (size_t)(t16_qprog_end - t16_qprog));
		g.gprs.rsi = OUTER16;
	} else {
		tg_long(&g, t64_qprog, (size_t)(t64_qprog_end - t64_qprog));
		g.gprs.rbx = arch_pages_alloc(2);
		g.gprs.r12 = OUTER;
		if (where == LONG_GUEST_NPT)
			identity_npt(&g);
	}
	out.rsp_expected = g.vmcb->save.rsp;
	tg_run(&g);
	out.exit_code = g.vmcb->control.exit_code;
	out.rip = where == REAL_GUEST ? g.vmcb->save.rip : g.vmcb->save.rip - g.code_pa;
	out.rsp = g.vmcb->save.rsp;
	out.sum = where == REAL_GUEST ? g.gprs.rdx & 0xffff : g.gprs.r13;
	out.buf = g.gprs.rbx;
	out.end = where == REAL_GUEST ? g.gprs.rdi & 0xffff : g.gprs.rdi - g.gprs.rbx;
	out.cycle = cpu->cycle;
	out.insns = cpu->insns;
}

/* Processor 1 climbs from a start-up IPI to long mode and runs the program. */
static void bare_fn(void *arg)
{
	struct emu_cpu *c1 = &emu_current_machine->cpu[1];
	uint8_t *page = arch_phys_to_virt(SIPI_PAGE);
	uint64_t code = arch_pages_alloc(2), buf = arch_pages_alloc(2);
	uint64_t stack = arch_pages_alloc(1) + 4096;
	uint64_t pml4 = arch_page_alloc(), pdpt = arch_page_alloc(), pd = arch_page_alloc();
	uint64_t gdt = arch_page_alloc();
	uint64_t param[7] = { stack, buf, OUTER, 0, 0, 0, 0 };
	uint64_t bare_off = (uint64_t)(t64_qprog_bare - t64_qprog);
	uint64_t *gd = arch_phys_to_virt(gdt);
	uint32_t far[2] = { (uint32_t)(code + bare_off), 0x08 };
	uint32_t cr3 = (uint32_t)pml4;
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr = { 0x17,
										   (uint32_t)gdt };

	(void)arg;
	memcpy(arch_phys_to_virt(code), t64_qprog, (size_t)(t64_qprog_end - t64_qprog));
	memcpy(page, t16_climb, (size_t)(t16_climb_end - t16_climb));
	gd[1] = 0x00af9b000000ffffull;
	gd[2] = 0x00cf93000000ffffull;
	((uint64_t *)arch_phys_to_virt(pml4))[0] = pdpt | X86_PTE_P | X86_PTE_W;
	((uint64_t *)arch_phys_to_virt(pdpt))[0] = pd | X86_PTE_P | X86_PTE_W;
	for (int j = 0; j < 512; j++)
		((uint64_t *)arch_phys_to_virt(pd))[j] =
			((uint64_t)j << 21) | X86_PTE_P | X86_PTE_W | X86_PTE_PS;
	memcpy(page + 0xf00, &gdtr, sizeof(gdtr));
	memcpy(page + 0xf10, &cr3, sizeof(cr3));
	memcpy(page + 0xf20, far, sizeof(far));
	memcpy(page + 0xf30, param, sizeof(param));
	arch_apic_send_ipi(1, APIC_DM_INIT | APIC_INT_ASSERT);
	arch_apic_send_ipi(1, APIC_DM_STARTUP | (SIPI_PAGE >> 12));
	for (uint32_t i = 0; i < 10000000u; i++) {
		memcpy(param, page + 0xf30, sizeof(param));
		if (param[6])
			break;
		arch_cpu_pause();
	}
	assert_int_equal(param[6], 1);
	out.sum = param[3];
	out.buf = buf;
	out.rsp = param[4];
	out.rsp_expected = stack;
	out.end = param[5] - buf;
	out.cycle = c1->cycle;
	out.insns = c1->insns;
}

static void run(enum where w, uint64_t quantum, struct outcome *o)
{
	struct emu_config cfg;

	emu_config_default(&cfg);
	cfg.quantum = quantum;
	cfg.ncpus = w == BARE_LONG ? 2 : 1;
	where = w;
	memset(&out, 0, sizeof(out));
	assert_int_equal(tg_machine_run(&cfg, w == BARE_LONG ? bare_fn : guest_fn, NULL, 0), 0);
	*o = out;
}

/* The checksums as the programs compute them, from the architecture alone:
 * each turn adds 8 bytes of the fill pattern and the end of the memset. */
static uint64_t expected_sum64(uint64_t buf)
{
	uint64_t sum = 0;

	for (uint32_t i = OUTER; i; i--)
		sum += (uint64_t)(i & 0xff) * 0x0101010101010101ull + buf + LEN64;
	return sum;
}

static uint16_t expected_sum16(void)
{
	uint16_t sum = 0;

	for (uint16_t i = OUTER16; i; i--)
		sum = (uint16_t)(sum + (uint16_t)((i & 0xff) * 0x0101u) + BUF16 + LEN16);
	return sum;
}

static void check_all_quanta(enum where w)
{
	static const uint64_t quanta[] = { 1000, 10000, 100000, 1000000, 10000000, 100000000,
					   1000000000 };
	struct outcome ref, o;

	run(w, 1000000000, &ref);
	if (w == REAL_GUEST) {
		assert_int_equal(ref.sum, expected_sum16());
		assert_int_equal(ref.end, BUF16 + LEN16);
	} else {
		assert_int_equal(ref.sum, expected_sum64(ref.buf));
		assert_int_equal(ref.end, LEN64);
	}
	if (w != BARE_LONG) {
		assert_int_equal(ref.exit_code, SVM_EXIT_VMMCALL);
		assert_int_equal(ref.rip, w == REAL_GUEST ? 7 : 5);
	}
	assert_int_equal(ref.rsp, ref.rsp_expected);
	/* The program is long enough for the smallest quanta to stop it often. */
	assert_true(ref.cycle > 1000000);
	for (size_t i = 0; i < sizeof(quanta) / sizeof(quanta[0]); i++) {
		run(w, quanta[i], &o);
		print_message("quantum %llu: cycle %llu, insns %llu\n",
			      (unsigned long long)quanta[i], (unsigned long long)o.cycle,
			      (unsigned long long)o.insns);
		assert_int_equal(o.exit_code, ref.exit_code);
		assert_int_equal(o.rip, ref.rip);
		assert_int_equal(o.rsp, ref.rsp);
		assert_int_equal(o.sum, ref.sum);
		assert_int_equal(o.end, ref.end);
		assert_int_equal(o.insns, ref.insns);
		assert_int_equal(o.cycle, ref.cycle);
	}
}

static void test_long_guest(void **state)
{
	(void)state;
	check_all_quanta(LONG_GUEST);
}

static void test_long_guest_nested_paging(void **state)
{
	(void)state;
	check_all_quanta(LONG_GUEST_NPT);
}

static void test_real_mode_guest(void **state)
{
	(void)state;
	check_all_quanta(REAL_GUEST);
}

static void test_outside_guest_mode(void **state)
{
	(void)state;
	check_all_quanta(BARE_LONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_guest),
		cmocka_unit_test(test_long_guest_nested_paging),
		cmocka_unit_test(test_real_mode_guest),
		cmocka_unit_test(test_outside_guest_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
