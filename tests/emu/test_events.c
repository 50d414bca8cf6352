/* SPDX-License-Identifier: MIT */
/*
 * Timed events fall due at an exact cycle and are taken at exactly the
 * instruction boundary where the processor clock reaches it: at a block's
 * start, inside a block (the engine arms an exit there), at its end, or at
 * a seam call in host mode. These tests drive the engine's internal
 * interface directly (the APIC timer is the source in a real machine).
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
#include "svm-model/svm_model.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/svm.h"

extern const uint8_t t64_nops[], t64_nops_end[];
extern const uint8_t t64_sti_hlt[], t64_sti_hlt_end[];

#define VMRUN_COST 1000u /* the default table (docs/cycle-costs.md) */

static struct {
	int64_t offset;            /* event_at relative to the first guest instruction */
	bool host;                 /* schedule it for host mode instead */
	unsigned fired;
	uint64_t fire_rip, fire_cycle, due;
	bool fire_in_guest;
	uint64_t exit_code, exit_rip, code_pa;
} t;

static void on_event(struct emu_cpu *cpu)
{
	t.fired++;
	t.fire_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
	t.fire_cycle = cpu->cycle;
	t.fire_in_guest = svm_of(cpu)->guest;
	cpu->event_at = ~0ull;
}

static void guest_fn(void *arg)
{
	struct emu_cpu *cpu = emu_current_cpu();
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, t64_nops, (size_t)(t64_nops_end - t64_nops));
	cpu->on_event = on_event;
	if (t.host) {
		t.due = cpu->cycle + 30;
		cpu->event_at = t.due;
		(void)arch_rdtsc(); /* one seam call: 50 cycles, past the event */
	} else {
		t.due = cpu->cycle + VMRUN_COST + (uint64_t)t.offset;
		cpu->event_at = t.due;
		tg_run(&g);
	}
	t.exit_code = g.vmcb->control.exit_code;
	t.exit_rip = g.vmcb->save.rip;
	t.code_pa = g.code_pa;
}

static void run(int64_t offset, bool host)
{
	memset(&t, 0, sizeof(t));
	t.offset = offset;
	t.host = host;
	assert_int_equal(tg_machine_run(NULL, guest_fn, NULL, 0), 0);
}

/* Due after the fifth of ten NOPs in one block: taken before the sixth. */
static void test_event_inside_block(void **state)
{
	(void)state;
	run(5, false);
	assert_int_equal(t.fired, 1);
	assert_true(t.fire_in_guest);
	assert_int_equal(t.fire_rip, t.code_pa + 5);
	assert_int_equal(t.fire_cycle, t.due);
	/* The guest then goes on exactly as it would have. */
	assert_int_equal(t.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(t.exit_rip, t.code_pa + 10);
}

/* Due when the guest starts: taken before its first instruction. */
static void test_event_at_block_start(void **state)
{
	(void)state;
	run(0, false);
	assert_int_equal(t.fired, 1);
	assert_int_equal(t.fire_rip, t.code_pa);
	assert_int_equal(t.fire_cycle, t.due);
}

/* Due after the last NOP: taken at the VMMCALL's boundary, before it exits. */
static void test_event_at_block_end(void **state)
{
	(void)state;
	run(10, false);
	assert_int_equal(t.fired, 1);
	assert_true(t.fire_in_guest);
	assert_int_equal(t.fire_rip, t.code_pa + 10);
	assert_int_equal(t.fire_cycle, t.due);
}

/* Each boundary in turn: the event lands on the instruction it names. */
static void test_every_boundary(void **state)
{
	(void)state;
	for (int64_t k = 1; k < 10; k++) {
		run(k, false);
		assert_int_equal(t.fired, 1);
		assert_int_equal(t.fire_rip, t.code_pa + (uint64_t)k);
		assert_int_equal(t.fire_cycle, t.due);
	}
}

/* In host mode the event is taken at the next seam call. */
static void test_event_in_host_mode(void **state)
{
	(void)state;
	run(0, true);
	assert_int_equal(t.fired, 1);
	assert_false(t.fire_in_guest);
	assert_true(t.fire_cycle >= t.due);
}

#define TIMER_VECTOR 0x40u
#define SEAM_COST 50u /* host-op (docs/cycle-costs.md) */

static struct {
	uint64_t exit_code, frame_rip, code_pa, ccr_after;
} a;

static void apic_timer_fn(void *arg)
{
	struct tguest g;
	uint64_t *frame;

	(void)arg;
	tg_svm_on();
	tg_long(&g, t64_nops, (size_t)(t64_nops_end - t64_nops));
	/* Handler: the snippet's closing VMMCALL (after its ten NOPs). */
	memcpy((uint8_t *)arch_phys_to_virt(g.code_pa) + 0x100, t64_nops + 10, 3);
	tg_idt_gate(&g, TIMER_VECTOR, g.code_pa + 0x100);
	g.vmcb->save.rflags |= X86_RFLAGS_IF;
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
	arch_apic_write(APIC_LVT_TIMER, TIMER_VECTOR); /* one-shot, unmasked */
	arch_apic_write(APIC_TIMER_DCR, 0xb);          /* divide by 1 */
	/*
	 * Counting starts at the TMICT write; then its seam call, VMRUN, and
	 * five NOPs: the interrupt is taken right before the sixth.
	 */
	arch_apic_write(APIC_TIMER_ICR, SEAM_COST + VMRUN_COST + 5);
	tg_run(&g);
	a.exit_code = g.vmcb->control.exit_code;
	frame = arch_phys_to_virt(g.vmcb->save.rsp);
	a.frame_rip = frame[0];
	a.code_pa = g.code_pa;
	a.ccr_after = arch_apic_read(APIC_TIMER_CCR);
}

/* The APIC timer (one-shot, divide by 1) interrupts the guest on the cycle. */
static void test_apic_timer_interrupts_guest_on_time(void **state)
{
	(void)state;
	assert_int_equal(tg_machine_run(NULL, apic_timer_fn, NULL, 0), 0);
	assert_int_equal(a.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(a.frame_rip, a.code_pa + 5);
	assert_int_equal(a.ccr_after, 0); /* one-shot: stays at 0 */
}

#define DELIVERY_COST 60u
#define VMEXIT_COST 800u
#define HLT_TIMER 5000u

static struct {
	uint64_t t0, t1, exit_code, frame_rip, code_pa;
} h;

static void hlt_fn(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, t64_sti_hlt, (size_t)(t64_sti_hlt_end - t64_sti_hlt));
	memcpy((uint8_t *)arch_phys_to_virt(g.code_pa) + 0x100, t64_nops + 10, 3);
	tg_idt_gate(&g, TIMER_VECTOR, g.code_pa + 0x100);
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
	arch_apic_write(APIC_LVT_TIMER, TIMER_VECTOR);
	arch_apic_write(APIC_TIMER_DCR, 0xb);
	h.t0 = arch_rdtsc();
	arch_apic_write(APIC_TIMER_ICR, HLT_TIMER); /* counts from h.t0 */
	tg_run(&g);
	h.t1 = arch_rdtsc();
	h.exit_code = g.vmcb->control.exit_code;
	h.frame_rip = ((uint64_t *)arch_phys_to_virt(g.vmcb->save.rsp))[0];
	h.code_pa = g.code_pa;
}

static void hlt_alone_fn(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, t64_sti_hlt, (size_t)(t64_sti_hlt_end - t64_sti_hlt));
	tg_run(&g);
}

/*
 * STI; HLT with the timer armed: the processor idles until the expiry, is
 * woken by the interrupt there (the frame's RIP is after the HLT), and the
 * clock shows exactly the idle time plus delivery and #VMEXIT.
 */
static void test_hlt_wakes_on_timer(void **state)
{
	(void)state;
	assert_int_equal(tg_machine_run(NULL, hlt_fn, NULL, 0), 0);
	assert_int_equal(h.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(h.frame_rip, h.code_pa + 2);
	assert_int_equal(h.t1 - h.t0, HLT_TIMER + DELIVERY_COST + VMEXIT_COST + SEAM_COST);
}

/* HLT with nothing that could ever wake the processor: a clear error, no hang. */
static void test_hlt_forever_is_an_error(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(tg_machine_run(NULL, hlt_alone_fn, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "HLT"));
}

static struct {
	uint64_t sent, woke_t1, exit_code, frame_rip, code_pa;
	bool done_seen;
} k;

static void ap_halts(void *arg)
{
	struct tguest g;

	(void)arg;
	tg_svm_on();
	tg_long(&g, t64_sti_hlt, (size_t)(t64_sti_hlt_end - t64_sti_hlt));
	memcpy((uint8_t *)arch_phys_to_virt(g.code_pa) + 0x100, t64_nops + 10, 3);
	tg_idt_gate(&g, TIMER_VECTOR, g.code_pa + 0x100);
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
	tg_run(&g);
	k.woke_t1 = arch_rdtsc();
	k.exit_code = g.vmcb->control.exit_code;
	k.frame_rip = ((uint64_t *)arch_phys_to_virt(g.vmcb->save.rsp))[0];
	k.code_pa = g.code_pa;
}

static void bsp_kicks(void *arg)
{
	(void)arg;
	if (arch_cpu_start(1, ap_halts, NULL) != 0)
		return;
	/* Let the other processor reach its HLT: far more time than it needs. */
	for (int i = 0; i < 2000; i++)
		arch_cpu_pause();
	k.sent = arch_rdtsc();
	arch_apic_send_ipi(1, APIC_DM_FIXED | APIC_INT_ASSERT | TIMER_VECTOR);
	for (int i = 0; i < 100000 && !arch_cpu_done(1); i++)
		arch_cpu_pause();
	k.done_seen = arch_cpu_done(1);
}

/*
 * A processor halted in its guest is woken by a fixed IPI from another
 * processor: it takes the interrupt (RIP after the HLT in the frame) at
 * the sender's cycle — delivery and #VMEXIT come on top, nothing else.
 */
static void test_hlt_woken_by_ipi(void **state)
{
	struct emu_config cfg;

	(void)state;
	emu_config_default(&cfg);
	cfg.ncpus = 2;
	assert_int_equal(tg_machine_run(&cfg, bsp_kicks, NULL, 0), 0);
	assert_true(k.done_seen);
	assert_int_equal(k.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(k.frame_rip, k.code_pa + 2);
	assert_int_equal(k.woke_t1 - k.sent, DELIVERY_COST + VMEXIT_COST + SEAM_COST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_inside_block),
		cmocka_unit_test(test_event_at_block_start),
		cmocka_unit_test(test_event_at_block_end),
		cmocka_unit_test(test_every_boundary),
		cmocka_unit_test(test_event_in_host_mode),
		cmocka_unit_test(test_apic_timer_interrupts_guest_on_time),
		cmocka_unit_test(test_hlt_wakes_on_timer),
		cmocka_unit_test(test_hlt_forever_is_an_error),
		cmocka_unit_test(test_hlt_woken_by_ipi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
