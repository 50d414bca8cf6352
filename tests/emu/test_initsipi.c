/* SPDX-License-Identifier: MIT */
/*
 * INIT and start-up IPIs on model processors (svm-model/reset.c): INIT to
 * a processor that runs nothing makes it wait for SIPI at once; SIPI starts
 * real-mode code at vector << 12 on the sender's clock, code that runs with
 * a non-zero CS base across many quanta and through trapped instructions;
 * INIT takes that code back; a triple fault there stops the processor until
 * INIT; and the cases the model refuses end the run with a clear error. The
 * portable side (what software sees) is in conformance/src/mp/init_host.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apic-model/apic_model.h"
#include "emu/emu.h"
#include "emu/src/emu_internal.h"
#include "guest_util.h"
#include "svm-model/svm_model.h"
#include "x86/apic.h"
#include "x86/msr.h"

#define PAGE 0x90000u
#define VECTOR (PAGE >> 12)
#define ICR_INIT (APIC_DM_INIT | APIC_INT_ASSERT)
#define WAIT_PAUSES 1000000u

/*
 * Real mode, CS = 9000h: DS = CS; 300000 turns of DEC ECX / JNZ (several
 * quanta); CPUID leaf 1, EBX to [800h]; INC word [808h]; CLI; HLT.
 */
static const uint8_t count_code[] = {
	0x8c, 0xc8,                         /* mov ax, cs */
	0x8e, 0xd8,                         /* mov ds, ax */
	0x66, 0xb9, 0xe0, 0x93, 0x04, 0x00, /* mov ecx, 300000 */
	0x66, 0x49,                         /* dec ecx */
	0x75, 0xfc,                         /* jnz -4 */
	0x66, 0xb8, 0x01, 0x00, 0x00, 0x00, /* mov eax, 1 */
	0x0f, 0xa2,                         /* cpuid */
	0x66, 0x89, 0x1e, 0x00, 0x08,       /* mov [800h], ebx */
	0xff, 0x06, 0x08, 0x08,             /* inc word [808h] */
	0xfa, 0xf4, 0xeb, 0xfc,             /* cli; hlt; jmp -4 */
};

/* CR4 = PAE (VMXE clear), then INC word [808h]: code outside VMX operation. */
static const uint8_t cr4_code[] = {
	0x8c, 0xc8,                         /* mov ax, cs */
	0x8e, 0xd8,                         /* mov ds, ax */
	0x66, 0xb8, 0x20, 0x00, 0x00, 0x00, /* mov eax, 20h (PAE) */
	0x0f, 0x22, 0xe0,                   /* mov cr4, eax */
	0xff, 0x06, 0x08, 0x08,             /* inc word [808h] */
	0xfa, 0xf4, 0xeb, 0xfc,             /* cli; hlt; jmp -4 */
};

/* EFER.SVME on, then CLGI: SVM host code the engine would have to run. */
static const uint8_t svm_code[] = {
	0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0, /* mov ecx, C0000080h */
	0x0f, 0x32,                         /* rdmsr */
	0x0d, 0x00, 0x10,                   /* or ax, 1000h (SVME) */
	0x0f, 0x30,                         /* wrmsr */
	0x0f, 0x01, 0xdd,                   /* clgi */
	0xfa, 0xf4,                         /* cli; hlt */
};

/* An IDT limit of 0, then INT3: #GP, #DF, shutdown. */
static const uint8_t shutdown_code[] = {
	0x2e, 0x0f, 0x01, 0x1e, 0x40, 0x00, /* lidt cs:[40h] (zeros) */
	0xcc,                               /* int3 */
	0xfa, 0xf4,                         /* cli; hlt */
};

static struct {
	const uint8_t *code;
	size_t len;
	uint32_t waiting_after_init, bare, count, ebx, waiting_again, shutdown;
	int64_t start_delta;
} t;

/* Processor 0 runs the test; processor 1 takes the IPIs. */
static const struct emu_config *two_cpus(void)
{
	static struct emu_config cfg;

	emu_config_default(&cfg);
	cfg.ncpus = 2;
	return &cfg;
}

static struct emu_cpu *cpu_at(uint32_t i)
{
	return &emu_current_machine->cpu[i];
}

static uint16_t counter(void)
{
	uint16_t v;

	memcpy(&v, (uint8_t *)arch_phys_to_virt(PAGE) + 0x808, sizeof(v));
	return v;
}

static void start_code(void)
{
	struct emu_cpu *c1 = cpu_at(1);
	uint64_t c0;

	memcpy(arch_phys_to_virt(PAGE), t.code, t.len);
	arch_apic_send_ipi(1, ICR_INIT);
	t.waiting_after_init = c1->wait_for_sipi;
	c0 = emu_current_cpu()->cycle;
	arch_apic_send_ipi(1, APIC_DM_STARTUP | VECTOR);
	t.start_delta = (int64_t)(c1->cycle - c0);
	t.bare = c1->bare;
}

static void count_fn(void *arg)
{
	struct emu_cpu *c1 = cpu_at(1);

	(void)arg;
	start_code();
	for (uint32_t i = 0; i < WAIT_PAUSES && counter() == 0; i++)
		arch_cpu_pause();
	t.count = counter();
	memcpy(&t.ebx, (uint8_t *)arch_phys_to_virt(PAGE) + 0x800, sizeof(t.ebx));
	/* The code halted: INIT takes the processor back to wait-for-SIPI. */
	arch_apic_send_ipi(1, ICR_INIT);
	for (uint32_t i = 0; i < WAIT_PAUSES && !c1->wait_for_sipi; i++)
		arch_cpu_pause();
	t.waiting_again = c1->wait_for_sipi;
}

static void test_sipi_runs_real_mode_code(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	t.code = count_code;
	t.len = sizeof(count_code);
	/* Ends with processor 1 waiting for SIPI: not an error. */
	assert_int_equal(tg_machine_run(two_cpus(), count_fn, NULL, 0), 0);
	assert_int_equal(t.waiting_after_init, 1);
	assert_int_equal(t.bare, 1);
	assert_int_equal(t.start_delta, 0);
	assert_int_equal(t.count, 1);
	/* CPUID from that code: the processor's own initial APIC ID. */
	assert_int_equal(t.ebx >> 24, 1);
	assert_int_equal(t.waiting_again, 1);
}

static void shutdown_fn(void *arg)
{
	struct emu_cpu *c1 = cpu_at(1);

	(void)arg;
	start_code();
	for (uint32_t i = 0; i < WAIT_PAUSES && !c1->shutdown; i++)
		arch_cpu_pause();
	t.shutdown = c1->shutdown;
	arch_apic_send_ipi(1, ICR_INIT);
	for (uint32_t i = 0; i < WAIT_PAUSES && !c1->wait_for_sipi; i++)
		arch_cpu_pause();
	t.waiting_again = c1->wait_for_sipi;
}

/*
 * On an Intel machine the model performs every MOV to CR4 (it keeps
 * CR4.VMXE itself); code a start-up IPI started is outside VMX operation,
 * where clearing VMXE is no #GP (SDM vol. 3C §24.8 holds it only in VMX
 * operation).
 */
static void test_sipi_code_writes_cr4_on_intel(void **state)
{
	struct emu_config cfg = *two_cpus();

	(void)state;
	memset(&t, 0, sizeof(t));
	t.code = cr4_code;
	t.len = sizeof(cr4_code);
	cfg.vendor = EMU_VENDOR_INTEL;
	assert_int_equal(tg_machine_run(&cfg, count_fn, NULL, 0), 0);
	assert_int_equal(t.bare, 1);
	assert_int_equal(t.count, 1);
}

static void test_shutdown_waits_for_init(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	t.code = shutdown_code;
	t.len = sizeof(shutdown_code);
	assert_int_equal(tg_machine_run(two_cpus(), shutdown_fn, NULL, 0), 0);
	assert_int_equal(t.shutdown, 1);
	assert_int_equal(t.waiting_again, 1);
}

static void svm_fn(void *arg)
{
	(void)arg;
	start_code();
	for (uint32_t i = 0; i < WAIT_PAUSES; i++)
		arch_cpu_pause();
}

static void test_svm_in_sipi_code_is_an_error(void **state)
{
	char err[256];

	(void)state;
	memset(&t, 0, sizeof(t));
	t.code = svm_code;
	t.len = sizeof(svm_code);
	assert_int_equal(tg_machine_run(two_cpus(), svm_fn, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cpu 1: SVM instruction"));
}

static void init_bsp_fn(void *arg)
{
	(void)arg;
	arch_apic_send_ipi(0, ICR_INIT);
}

static void test_init_to_bsp_is_an_error(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(tg_machine_run(NULL, init_bsp_fn, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cpu 0: INIT reset of the bootstrap processor"));
}

static void r_init_fn(void *arg)
{
	(void)arg;
	svm_of(cpu_at(1))->vm_cr |= MSR_VM_CR_R_INIT;
	arch_apic_send_ipi(1, ICR_INIT);
}

static void test_init_with_r_init_is_an_error(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(tg_machine_run(two_cpus(), r_init_fn, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cpu 1: INIT with VM_CR.R_INIT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sipi_runs_real_mode_code),
		cmocka_unit_test(test_sipi_code_writes_cr4_on_intel),
		cmocka_unit_test(test_shutdown_waits_for_init),
		cmocka_unit_test(test_svm_in_sipi_code_is_an_error),
		cmocka_unit_test(test_init_to_bsp_is_an_error),
		cmocka_unit_test(test_init_with_r_init_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
