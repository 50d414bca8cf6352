/* SPDX-License-Identifier: MIT */
/* Helpers shared by the local APIC scenarios (see apic_util.h). */
#include "apic_util.h"

#include "x86/cpu.h"
#include "x86/msr.h"

/* About a second at a few GHz of TSC: long enough for QEMU TCG, whose
 * processors and virtual clocks run far slower than a real machine. */
#define WAIT_TICKS 2000000000ull
/* Interrupts that can be pending at once are at most 240; in service, too. */
#define MAX_TAKES 256u
#define VMMCALL_LEN 3u
/* CPUID Fn0000_0001 ECX[24]: the TSC-deadline timer mode (SDM §11.5.4.1). */
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

/* --- Registers ----------------------------------------------------------- */

bool conf_apic_x2apic_mode(void)
{
	uint64_t base = 0;

	(void)arch_rdmsr(MSR_IA32_APIC_BASE, &base);
	return (base & MSR_APIC_BASE_EXTD) != 0;
}

uint32_t conf_apic_self_id(void)
{
	uint32_t id = arch_apic_read(APIC_ID);

	/* xAPIC: the ID is bits 31:24; x2APIC: the whole register (§11.4.6, §11.12.5.1). */
	return conf_apic_x2apic_mode() ? id : id >> 24;
}

bool conf_apic_bit(uint32_t base, uint32_t vector)
{
	return (arch_apic_read(APIC_VECTOR_REG(base, vector)) & APIC_VECTOR_BIT(vector)) != 0;
}

int conf_apic_highest(uint32_t base)
{
	for (int reg = 7; reg >= 0; reg--) {
		uint32_t v = arch_apic_read(base + 0x10u * (uint32_t)reg);

		for (int bit = 31; bit >= 0; bit--)
			if (v & (1u << bit))
				return reg * 32 + bit;
	}
	return -1;
}

void conf_apic_self_ipi(uint32_t mode, uint32_t vector)
{
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_INT_ASSERT | mode | vector);
}

void conf_apic_sw_enable(void)
{
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
}

void conf_apic_save(struct conf_apic_saved *s)
{
	s->svr = arch_apic_read(APIC_SVR);
	s->tpr = arch_apic_read(APIC_TPR);
	/* x2APIC has no DFR and a read-only LDR (§11.12.1). */
	s->ldr = conf_apic_x2apic_mode() ? 0 : arch_apic_read(APIC_LDR);
	s->dfr = conf_apic_x2apic_mode() ? 0 : arch_apic_read(APIC_DFR);
	s->lvt_timer = arch_apic_read(APIC_LVT_TIMER);
	s->lvt_error = arch_apic_read(APIC_LVT_ERROR);
	s->tdcr = arch_apic_read(APIC_TIMER_DCR);
}

const char *conf_apic_restore(const struct conf_apic_saved *s)
{
	const char *why;

	/* Masked one-shot first: leaving TSC-deadline mode disarms that timer,
	 * and TMICT = 0 stops the others (§11.5.4, §11.5.4.1). */
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT);
	arch_apic_write(APIC_TIMER_ICR, 0);
	arch_apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	why = conf_apic_drain();
	/* Two ESR writes: the first latches errors, the second clears them (§11.5.3). */
	arch_apic_write(APIC_ESR, 0);
	arch_apic_write(APIC_ESR, 0);
	if (!conf_apic_x2apic_mode()) {
		arch_apic_write(APIC_DFR, s->dfr);
		arch_apic_write(APIC_LDR, s->ldr);
	}
	arch_apic_write(APIC_TIMER_DCR, s->tdcr);
	arch_apic_write(APIC_LVT_TIMER, s->lvt_timer);
	arch_apic_write(APIC_LVT_ERROR, s->lvt_error);
	arch_apic_write(APIC_TPR, s->tpr);
	arch_apic_write(APIC_SVR, s->svr);
	return why;
}

bool conf_apic_fault(const char *why)
{
	return why && hv_strncmp(why, APIC_FAULT, sizeof(APIC_FAULT) - 1) == 0;
}

void conf_apic_report(struct conf_ctx *ctx, const char *who, const char *why)
{
	if (!why)
		return;
	/* A failure the scenario already reported explains what is left over. */
	if (!conf_apic_fault(why))
		conf_error(ctx, "%s leaving the APIC clean: %s", who, why);
	else if (!conf_failed(ctx))
		conf_fail(ctx, "%s leaving the APIC clean: %s", who, why);
}

void conf_apic_end(struct conf_ctx *ctx, const struct conf_apic_saved *s)
{
	conf_apic_report(ctx, "processor 0", conf_apic_restore(s));
}

/* --- Waits ---------------------------------------------------------------- */

bool conf_apic_wait_irr(uint32_t vector)
{
	uint64_t t0 = arch_rdtsc();

	while (!conf_apic_bit(APIC_IRR, vector)) {
		if (arch_rdtsc() - t0 > WAIT_TICKS)
			return false;
		arch_cpu_pause();
	}
	return true;
}

bool conf_apic_wait_tmcct_zero(void)
{
	uint64_t t0 = arch_rdtsc();

	while (arch_apic_read(APIC_TIMER_CCR) != 0) {
		if (arch_rdtsc() - t0 > WAIT_TICKS)
			return false;
		arch_cpu_pause();
	}
	return true;
}

bool conf_apic_wait_flag(const uint32_t *flag)
{
	uint64_t t0 = arch_rdtsc();

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (arch_rdtsc() - t0 > WAIT_TICKS)
			return false;
		arch_cpu_pause();
	}
	return true;
}

bool conf_apic_join(uint32_t idx)
{
	uint64_t t0 = arch_rdtsc();

	while (!arch_cpu_done(idx)) {
		if (arch_rdtsc() - t0 > WAIT_TICKS)
			return false;
		arch_cpu_pause();
	}
	return true;
}

void conf_apic_delay(uint64_t ticks)
{
	uint64_t t0 = arch_rdtsc();

	while (arch_rdtsc() - t0 < ticks)
		arch_cpu_pause();
}

/* --- Taking interrupts through a guest ------------------------------------ */

/* Exceptions that push an error code: irq_guest's handler would IRET wrongly. */
static bool pushes_error_code(unsigned v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

const char *conf_apic_guest_init(struct conf_apic_guest *g)
{
	struct hv_guest_config gc;
	struct hv_vcpu_config vc = { .use_vnmi = false };
	struct vmcb *vmcb;

	hv_memset(g, 0, sizeof(*g));
	g->payload = CONF_PAYLOAD(irq_guest);
	gc = (struct hv_guest_config){
		.payload = g->payload.start,
		.payload_len = (size_t)(g->payload.end - g->payload.start),
		.entry = (size_t)(g->payload.entry - g->payload.start),
		.common_handler = HV_GUEST_BUILTIN,
	};
	if (hv_svm_enable() != HV_OK)
		return "hv_svm_enable failed";
	if (hv_guest_build(&g->guest, &gc) != HV_OK)
		return "hv_guest_build failed";
	if (hv_vcpu_create(&g->vcpu, &vc, &g->guest) != HV_OK)
		return "hv_vcpu_create failed";
	/* Any vector, even an illegal one a broken APIC accepted, reaches the handler. */
	for (unsigned v = 0; v < 256; v++)
		if (!pushes_error_code(v))
			hv_guest_set_gate(&g->guest, (uint8_t)v,
					  hv_guest_addr(&g->guest,
							(size_t)(irq_guest_handler - irq_guest_start)));
	vmcb = hv_svm_vmcb(&g->vcpu);
	/* Physical interrupts follow the guest's IF, which is set (APM §15.21.1). */
	hv_vmcb_intercept(vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR, false);
	vmcb->control.int_ctl &= ~V_INTR_MASKING_MASK;
	return NULL;
}

/* One VMRUN to the guest's next VMMCALL; its mark in *mark. */
static const char *enter(struct conf_apic_guest *g, uint64_t *mark)
{
	struct vmcb *vmcb = hv_svm_vmcb(&g->vcpu);

	vmcb->control.event_inj = 0;
	if (hv_vcpu_enter(&g->vcpu) != ARCH_OK)
		return "VMRUN faulted";
	if (vmcb->control.exit_code != SVM_EXIT_VMMCALL)
		return "the guest stopped with an exit other than VMMCALL";
	*mark = vmcb->save.rax & 0xffffffffull;
	vmcb->save.rip += VMMCALL_LEN;
	return NULL;
}

const char *conf_apic_take_begin(struct conf_apic_guest *g, int *vector)
{
	struct vmcb *vmcb = hv_svm_vmcb(&g->vcpu);
	uint64_t mark = 0;
	const char *why;

	*vector = -1;
	/* From the main code's first stop, on a fresh stack, IF = 1: a pending
	 * interrupt is taken before that instruction. */
	vmcb->save.rip = hv_guest_addr(&g->guest, (size_t)(irq_guest_main1 - irq_guest_start));
	vmcb->save.rsp = g->guest.stack_top;
	vmcb->save.rflags = X86_RFLAGS_IF | 2u;
	if ((why = enter(g, &mark)) != NULL)
		return why;
	if (mark == MARK_MAIN1)
		return NULL;
	if (mark != MARK_IRQ)
		return "the guest stopped at an unknown VMMCALL";
	*vector = conf_apic_highest(APIC_ISR);
	return NULL;
}

const char *conf_apic_take_finish(struct conf_apic_guest *g)
{
	uint64_t mark = 0;
	const char *why = enter(g, &mark);

	if (why)
		return why;
	/* The handler's IRETQ is not needed: the next run restarts the guest. */
	return mark == MARK_EOI ? NULL : "the guest's handler did not reach its EOI";
}

const char *conf_apic_take_one(struct conf_apic_guest *g, int *vector)
{
	const char *why = conf_apic_take_begin(g, vector);

	return why || *vector < 0 ? why : conf_apic_take_finish(g);
}

const char *conf_apic_drain(void)
{
	struct conf_apic_guest g;
	const char *why;
	int vector = 0;
	unsigned n;

	/* Nothing may hold them back: a software-enabled APIC (§11.4.7.2), TPR 0. */
	conf_apic_sw_enable();
	arch_apic_write(APIC_TPR, 0);
	/* EOI clears the highest bit in service (§11.8.5); in-service vectors
	 * would hold lower pending ones back through the PPR. */
	for (n = 0; n < MAX_TAKES && conf_apic_highest(APIC_ISR) >= 0; n++)
		arch_apic_write(APIC_EOI, 0);
	if (conf_apic_highest(APIC_IRR) < 0)
		return conf_apic_highest(APIC_ISR) < 0 ? NULL : APIC_FAULT "EOI does not clear the ISR";
	if (conf_svm_unsupported())
		return "interrupts left pending in the IRR, and no SVM to take them";
	if ((why = conf_apic_guest_init(&g)) != NULL)
		return why;
	for (n = 0; n < MAX_TAKES && vector >= 0; n++)
		if ((why = conf_apic_take_one(&g, &vector)) != NULL)
			return why;
	if (conf_apic_highest(APIC_IRR) >= 0)
		return APIC_FAULT "the IRR does not empty";
	return conf_apic_highest(APIC_ISR) < 0 ? NULL : APIC_FAULT "the ISR does not empty";
}

/* --- SKIP reasons ---------------------------------------------------------- */

static char need_reason[64];

const char *conf_apic_need2(void)
{
	uint32_t have = arch_cpu_count();

	if (have >= 2)
		return NULL;
	hv_snprintf(need_reason, sizeof(need_reason), "needs 2 processors; the platform has %u",
		    have);
	return need_reason;
}

const char *conf_apic_need2_svm(void)
{
	const char *why = conf_svm_unsupported();

	return why ? why : conf_apic_need2();
}

const char *conf_apic_need2_svm_xapic(void)
{
	const char *why = conf_apic_need2_svm();

	if (why)
		return why;
	/* Flat logical mode needs the DFR, which x2APIC mode does not have (§11.12.1). */
	return conf_apic_x2apic_mode() ? "IA32_APIC_BASE[10] (x2APIC mode) = 1: no DFR" : NULL;
}

const char *conf_apic_tsc_deadline_unsupported(void)
{
	struct arch_cpuid r;

	arch_cpuid(1, 0, &r);
	return (r.ecx & CPUID_1_ECX_TSC_DEADLINE) ? NULL
						   : "CPUID Fn0000_0001 ECX[24] (TSC-deadline) = 0";
}

const char *conf_apic_tsc_deadline_svm_unsupported(void)
{
	const char *why = conf_apic_tsc_deadline_unsupported();

	return why ? why : conf_svm_unsupported();
}
