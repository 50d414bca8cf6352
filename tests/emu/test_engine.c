/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the model platform: the processor engine, its cycle clock,
 * its modes, event delivery and bad input, driven through arch.h exactly as
 * a hypervisor would. Results are recorded inside the model run and checked
 * afterwards, outside the processor's coroutine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "guest_util.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define SNIPPET(name) extern const uint8_t name[], name##_end[]
#define CODE(name) name, (size_t)(name##_end - name)
SNIPPET(t64_nops);
SNIPPET(t64_ud2);
SNIPPET(t64_bad_ds);
SNIPPET(t64_load);
SNIPPET(t32_mov);
SNIPPET(t16_mov);

struct result {
	arch_fault_t fault;
	uint64_t exit_code, info1, info2, rip, rax, rsp, code_pa, next_rip;
	uint64_t cycles, extra[8];
	char log[64];
	size_t nlog;
};

static struct result res;

static int run_model(const struct emu_config *cfg, void (*fn)(void *), char *err, size_t errlen)
{
	memset(&res, 0, sizeof(res));
	return tg_machine_run(cfg, fn, err, errlen);
}

static void record(struct tguest *g)
{
	res.exit_code = g->vmcb->control.exit_code;
	res.info1 = g->vmcb->control.exit_info_1;
	res.info2 = g->vmcb->control.exit_info_2;
	res.next_rip = g->vmcb->control.next_rip;
	res.rip = g->vmcb->save.rip;
	res.rax = g->vmcb->save.rax;
	res.rsp = g->vmcb->save.rsp;
	res.code_pa = g->code_pa;
}

/* --- cycle accounting ------------------------------------------------------ */

static void nops_guest(void *arg)
{
	struct tguest g;
	uint64_t t0, t1;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_nops));
	t0 = arch_rdtsc();
	res.fault = tg_run(&g);
	t1 = arch_rdtsc();
	res.cycles = t1 - t0;
	record(&g);
}

/* Ten NOPs, then VMMCALL: the clock advances by exactly VMRUN + 10 NOPs +
 * #VMEXIT + the second RDTSC's own cost (docs/cycle-costs.md). */
static void test_cycles_exact(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, nops_guest, NULL, 0), 0);
	assert_int_equal(res.fault, ARCH_OK);
	assert_int_equal(res.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(res.rip, res.code_pa + 10);
	assert_int_equal(res.next_rip, res.code_pa + 13);
	assert_int_equal(res.cycles, 50 + 1000 + 10 * 1 + 800);
}

/* A cost table override changes the clock by exactly what it says. */
static void test_cycles_override(void **state)
{
	struct emu_config cfg;
	struct emu_costs *c = emu_costs_new();
	char err[128];

	(void)state;
	assert_int_equal(emu_costs_parse(c, "nop 7\nvmrun 5 # entry\nvmexit 6\nhost-op 0\n", err,
					 sizeof(err)), 0);
	emu_config_default(&cfg);
	cfg.costs = c;
	assert_int_equal(run_model(&cfg, nops_guest, NULL, 0), 0);
	assert_int_equal(res.cycles, 5 + 10 * 7 + 6);
	emu_costs_free(c);
}

/* --- processor modes -------------------------------------------------------- */

static void prot32_guest(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_prot32(&g, CODE(t32_mov));
	res.fault = tg_run(&g);
	record(&g);
}

/* A 32-bit protected-mode guest (CS.D = 1, no paging) runs 32-bit code. */
static void test_protected_mode_guest(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, prot32_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(res.rax, 0x12345678);
	assert_int_equal(res.rip, res.code_pa + 5);
}

static void real_guest(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_real(&g, CODE(t16_mov));
	res.fault = tg_run(&g);
	record(&g);
	res.extra[0] = g.vmcb->save.cs.base;
	res.extra[1] = g.vmcb->save.cs.selector;
}

/*
 * A real-mode guest runs 16-bit code at CS.base + IP and RIP stays
 * CS-relative. The hidden base is taken from the VMCB as it is, even where
 * it is not selector << 4 (the code sits above 1 MiB here).
 */
static void test_real_mode_guest(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, real_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(res.rax & 0xffff, 0x1234);
	assert_int_equal(res.rip, 3);
	assert_int_equal(res.extra[0], res.code_pa);
	assert_int_equal(res.extra[1], (uint16_t)(res.code_pa >> 4));
}

/* --- exceptions -------------------------------------------------------------- */

static void ud2_guest(void *arg)
{
	struct tguest g;
	uint64_t *frame;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_ud2));
	/* #UD handler: the VMMCALL right after a 2-byte UD2 at code + 0x100. */
	memcpy((uint8_t *)arch_phys_to_virt(g.code_pa) + 0x100, t64_nops + 10, 3);
	tg_idt_gate(&g, X86_VEC_UD, g.code_pa + 0x100);
	res.fault = tg_run(&g);
	record(&g);
	frame = arch_phys_to_virt(g.vmcb->save.rsp);
	for (int i = 0; i < 5; i++)
		res.extra[i] = frame[i];
}

/* UD2 in long mode vectors through IDT entry 6 with the 64-bit frame
 * (RIP of the UD2, CS, RFLAGS, RSP, SS) on the stack (APM §8.9.3). */
static void test_exception_through_idt(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, ud2_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(res.rip, res.code_pa + 0x100);
	assert_int_equal(res.extra[0], res.code_pa);           /* RIP of UD2 */
	assert_int_equal(res.extra[1], 0x08);                  /* CS */
	assert_int_equal(res.extra[2] & X86_RFLAGS_FIXED, X86_RFLAGS_FIXED);
	assert_int_equal(res.extra[3], res.rsp + 5 * 8);        /* old RSP */
	assert_int_equal(res.extra[4], 0x10);                  /* SS */
}

static void gp_guest(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_bad_ds));
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] = 1u << X86_VEC_GP;
	res.fault = tg_run(&g);
	record(&g);
}

/* A #GP raised by a guest instruction, intercepted: exit 0x4D with the
 * selector error code in exit_info_1 and RIP at the faulting instruction. */
static void test_exception_error_code(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, gp_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_GP);
	assert_int_equal(res.info1, 0x1230);
	assert_int_equal(res.rip, res.code_pa + 5);
}

/* mov rax, dr7 */
static const uint8_t mov_from_dr7[] = { 0x0f, 0x21, 0xf8 };

static void user_dr_guest(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, mov_from_dr7, sizeof(mov_from_dr7));
	tg_user(&g);
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] = 1u << X86_VEC_GP;
	g.vmcb->control.intercepts[VMCB_INTERCEPT_DR] = ~0u;
	res.fault = tg_run(&g);
	record(&g);
}

/* MOV from DR7 at CPL 3 is #GP(0), not the DR intercept (APM vol. 3 "MOV
 * DRn": #GP when CPL is not 0; vol. 2 §15.9: an instruction intercept is
 * checked after such simple exceptions). */
static void test_mov_dr_at_cpl3(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, user_dr_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_GP);
	assert_int_equal(res.info1, 0);
	assert_int_equal(res.rip, res.code_pa);
}

static void triple_guest(void *arg)
{
	struct tguest g;
	bool intercept = arg != NULL;

	tg_svm_on();
	tg_long(&g, CODE(t64_ud2));
	g.vmcb->save.idtr.limit = 0; /* every vector is beyond the IDT limit */
	if (intercept)
		g.vmcb->control.intercepts[VMCB_INTERCEPT_MISC1] = INTERCEPT_SHUTDOWN;
	res.fault = tg_run(&g);
	record(&g);
}

static void triple_intercepted(void *arg)
{
	(void)arg;
	triple_guest((void *)1);
}

/* #UD with no usable IDT: #GP, then #DF, then shutdown (APM §8.2.9); with
 * the SHUTDOWN intercept that is #VMEXIT(0x7F). */
static void test_triple_fault_intercepted(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, triple_intercepted, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_SHUTDOWN);
}

/* Without the intercept the processor shuts down: the run ends with an
 * error that says so, and the host survives. */
static void test_triple_fault_not_intercepted(void **state)
{
	struct emu_config cfg;
	char err[256];

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, triple_guest, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "triple fault"));
}

/* --- memory ------------------------------------------------------------------ */

static void load_guest_at(uint64_t addr)
{
	struct tguest g;

	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	g.gprs.rbx = addr;
	g.vmcb->save.rax = 0;
	res.fault = tg_run(&g);
	record(&g);
}

static void open_bus_guest(void *arg)
{
	(void)arg;
	/* 1 GiB: mapped by the guest's page tables, above the 64 MiB of RAM. */
	load_guest_at(1ull << 30);
}

/* Physical addresses with no memory behind them read as all ones. */
static void test_open_bus(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, open_bus_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(res.rax, ~0ull);
}

static void pf_guest(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	g.gprs.rbx = 1ull << 40; /* PML4 entry 2: not present */
	g.vmcb->save.cr2 = 0x1234;
	g.vmcb->control.intercepts[VMCB_INTERCEPT_EXC] = 1u << X86_VEC_PF;
	res.fault = tg_run(&g);
	record(&g);
	res.extra[0] = g.vmcb->save.cr2;
}

/* An intercepted #PF: error code in exit_info_1, the address in
 * exit_info_2, and the guest's CR2 untouched (APM §15.12). */
static void test_page_fault_intercept(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, pf_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_EXCP_BASE + X86_VEC_PF);
	assert_int_equal(res.info1, 0);
	assert_int_equal(res.info2, 1ull << 40);
	assert_int_equal(res.extra[0], 0x1234);
	assert_int_equal(res.rip, res.code_pa);
}

static void remap_guest(void *arg)
{
	struct tguest g;
	uint64_t pdpt, *p2, data = arch_page_alloc();

	(void)arg;
	tg_svm_on();
	tg_long(&g, CODE(t64_load));
	*(uint64_t *)arch_phys_to_virt(data) = 0x1122334455667788ull;
	/* Map virtual 3 GiB + 2 MiB (a 4 KiB page) onto the data page. */
	pdpt = ((uint64_t *)arch_phys_to_virt(g.pml4_pa))[0] & ~0xfffull;
	p2 = arch_phys_to_virt(((uint64_t *)arch_phys_to_virt(pdpt))[3] & ~0xfffull);
	{
		uint64_t pt = arch_page_alloc();

		((uint64_t *)arch_phys_to_virt(pt))[0] = data | X86_PTE_P | X86_PTE_W;
		p2[1] = pt | X86_PTE_P | X86_PTE_W;
	}
	g.gprs.rbx = (3ull << 30) + (2ull << 20);
	res.fault = tg_run(&g);
	record(&g);
}

/*
 * A linear page the guest maps onto another physical page reads that page
 * (the engine runs any mapping; the identity map around it is untouched).
 */
static void test_non_identity_paging(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, remap_guest, NULL, 0), 0);
	assert_int_equal(res.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(res.rax, 0x1122334455667788ull);
}

static void bounds_host(void *arg)
{
	(void)arg;
	res.extra[0] = arch_phys_to_virt(64ull << 20) == NULL;
	res.extra[1] = arch_pages_alloc(1u << 20) == 0;
	res.extra[2] = arch_page_alloc() != 0;
	res.extra[3] = arch_vmrun(64ull << 20, NULL) == ARCH_FAULT(X86_VEC_UD); /* SVME off */
	tg_svm_on();
	res.extra[4] = arch_vmrun(0x1001, NULL) == ARCH_FAULT(X86_VEC_GP);
	res.extra[5] = arch_vmrun(64ull << 20, NULL) == ARCH_FAULT(X86_VEC_GP);
}

/* The host side cannot reach outside guest-physical memory either. */
static void test_host_bounds(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	assert_int_equal(run_model(&cfg, bounds_host, NULL, 0), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(res.extra[i], 1);
}

/* --- machines and processors ------------------------------------------------ */

/* A guest that loops for ever: the host-time guard ends the run. */
static const uint8_t spin[] = { 0xeb, 0xfe }; /* jmp . */

static void spin_guest(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, spin, sizeof(spin));
	res.fault = tg_run(&g);
}

static void test_host_time_guard(void **state)
{
	struct emu_config cfg;
	char err[256];

	(void)state;
	emu_config_default(&cfg);
	/* Far more cycles than 200 ms can run: the guard must come first. */
	cfg.max_cycles = 20000000000ull;
	cfg.max_host_ms = 200;
	assert_int_equal(run_model(&cfg, spin_guest, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 200 ms of host time"));
}

static void test_bad_config(void **state)
{
	struct emu_config cfg;
	char err[128];

	(void)state;
	emu_config_default(&cfg);
	cfg.ncpus = 0;
	assert_null(emu_machine_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "processors"));
	emu_config_default(&cfg);
	cfg.ncpus = EMU_MAX_CPUS + 1;
	assert_null(emu_machine_create(&cfg, err, sizeof(err)));
	emu_config_default(&cfg);
	cfg.ram_size = (64ull << 20) + 1;
	assert_null(emu_machine_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "memory"));
}

static void log_char(char c)
{
	if (res.nlog < sizeof(res.log) - 1)
		res.log[res.nlog++] = c;
}

static void ap_fn(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		log_char('1');
		arch_cpu_pause();
	}
}

static void bsp_fn(void *arg)
{
	(void)arg;
	res.extra[0] = arch_cpu_start(1, ap_fn, NULL) == 0;
	res.extra[1] = arch_cpu_start(1, ap_fn, NULL) == -1; /* busy */
	res.extra[2] = arch_cpu_start(7, ap_fn, NULL) == -1; /* no such processor */
	for (int i = 0; i < 3; i++) {
		log_char('0');
		arch_cpu_pause();
	}
	res.extra[3] = arch_cpu_done(1);
}

/*
 * Two processors on one clock: the started processor begins at the
 * starter's cycle; PAUSE costs 10 cycles and lets the processor furthest
 * behind run. Processor 0 is 50 cycles ahead after the start (the seam
 * call's cost), so after its first '0' processor 1 runs all three rounds.
 */
static void test_scheduler_order(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	cfg.ncpus = 2;
	assert_int_equal(run_model(&cfg, bsp_fn, NULL, 0), 0);
	assert_string_equal(res.log, "011100");
	assert_int_equal(res.extra[0], 1);
	assert_int_equal(res.extra[1], 1);
	assert_int_equal(res.extra[2], 1);
	assert_int_equal(res.extra[3], 1);
}

struct trace {
	struct hv_event ev[64];
	size_t n;
};

static void listen(void *user, const struct hv_event *ev)
{
	struct trace *t = user;

	if (t->n < 64)
		t->ev[t->n++] = *ev;
}

static void traced_run(struct trace *t)
{
	struct emu_config cfg;
	char err[128];
	struct emu_machine *m;

	emu_config_default(&cfg);
	m = emu_machine_create(&cfg, err, sizeof(err));
	assert_non_null(m);
	memset(t, 0, sizeof(*t));
	emu_set_event_listener(m, listen, t);
	assert_int_equal(emu_machine_run(m, ud2_guest, NULL), 0);
	emu_machine_destroy(m);
}

/* Identical runs give identical event streams, cycle for cycle. */
static void test_determinism(void **state)
{
	static struct trace a, b;

	(void)state;
	traced_run(&a);
	traced_run(&b);
	assert_true(a.n >= 3);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.ev[i].type, b.ev[i].type);
		assert_int_equal(a.ev[i].cycle, b.ev[i].cycle);
		assert_memory_equal(a.ev[i].v, b.ev[i].v, sizeof(a.ev[i].v));
	}
	assert_int_equal(a.ev[0].type, HV_EV_VMRUN);
	assert_int_equal(a.ev[1].type, HV_EV_VMRUN_INTERCEPTS);
	assert_int_equal(a.ev[2].type, HV_EV_DELIVER);
	assert_int_equal(a.ev[2].v[0], X86_VEC_UD);
	assert_int_equal(a.ev[a.n - 2].type, HV_EV_VMEXIT);
	assert_int_equal(a.ev[a.n - 2].v[0], SVM_EXIT_VMMCALL);
	/* The guest code at the exit: the VMMCALL (0F 01 D9) at its RIP. */
	assert_int_equal(a.ev[a.n - 1].type, HV_EV_GUEST_CODE);
	{
		const uint8_t *code = (const uint8_t *)&a.ev[a.n - 1].v[2];
		unsigned before = a.ev[a.n - 1].v[1] & 0xff;

		assert_true((a.ev[a.n - 1].v[1] >> 8) >= before + 3);
		assert_memory_equal(code + before, "\x0f\x01\xd9", 3);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycles_exact),
		cmocka_unit_test(test_cycles_override),
		cmocka_unit_test(test_protected_mode_guest),
		cmocka_unit_test(test_real_mode_guest),
		cmocka_unit_test(test_exception_through_idt),
		cmocka_unit_test(test_exception_error_code),
		cmocka_unit_test(test_mov_dr_at_cpl3),
		cmocka_unit_test(test_triple_fault_intercepted),
		cmocka_unit_test(test_triple_fault_not_intercepted),
		cmocka_unit_test(test_page_fault_intercept),
		cmocka_unit_test(test_non_identity_paging),
		cmocka_unit_test(test_open_bus),
		cmocka_unit_test(test_host_bounds),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_host_time_guard),
		cmocka_unit_test(test_scheduler_order),
		cmocka_unit_test(test_determinism),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
