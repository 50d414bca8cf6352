/* SPDX-License-Identifier: MIT */
/*
 * Events in guest mode: exceptions raised by guest instructions, EVENTINJ
 * (APM vol. 2 §15.20), virtual interrupts V_IRQ (§15.21.4), virtual NMIs
 * (§15.21.10) and physical INTR/NMI with their intercepts (§15.21.2). Each
 * ends either vectored through the guest IDT or in a #VMEXIT, with
 * EXITINTINFO naming an event whose delivery the #VMEXIT cut short.
 */
#include <string.h>

#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/svm.h"

static bool contributory(uint8_t v)
{
	return v == X86_VEC_DE || v == X86_VEC_TS || v == X86_VEC_NP || v == X86_VEC_SS ||
	       v == X86_VEC_GP;
}

static uint32_t event_info(const struct emu_pending_event *ev)
{
	uint32_t type;

	switch (ev->kind) {
	case EMU_EVT_NMI:
		type = SVM_EVTINJ_TYPE_NMI;
		break;
	case EMU_EVT_INTR:
		type = SVM_EVTINJ_TYPE_INTR;
		break;
	case EMU_EVT_SOFTINT:
		type = SVM_EVTINJ_TYPE_SOFT;
		break;
	default:
		type = SVM_EVTINJ_TYPE_EXEPT;
	}
	return SVM_EVTINJ_VALID | type | ev->vector | (ev->has_error ? SVM_EVTINJ_VALID_ERR : 0);
}

/* Exceptions that push an error code (APM table 8-1). */
static bool pushes_error(uint8_t v)
{
	return v == X86_VEC_DF || v == X86_VEC_TS || v == X86_VEC_NP || v == X86_VEC_SS ||
	       v == X86_VEC_GP || v == X86_VEC_PF || v == X86_VEC_AC || v == X86_VEC_CP ||
	       v == X86_VEC_VC || v == X86_VEC_SX;
}

static void shutdown(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);

	if (svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_SHUTDOWN)) {
		s->delivering = false;
		svm_vmexit(cpu, SVM_EXIT_SHUTDOWN, 0, 0);
		return;
	}
	if (cpu->bare)
		emu_bare_shutdown(cpu);
	emu_emit(cpu, HV_EV_SHUTDOWN, 0, 0, 0, 0, "triple fault");
	emu_fatal(cpu, "guest triple fault with the SHUTDOWN intercept clear: the processor "
		  "shut down (APM vol. 2 §15.12)");
}

static bool exception_intercepted(struct emu_cpu *cpu, const struct emu_pending_event *ev)
{
	return ev->kind == EMU_EVT_EXCEPTION &&
	       svm_intercepted(svm_of(cpu), VMCB_INTERCEPT_EXC, 1u << ev->vector);
}

static void exit_on_exception(struct emu_cpu *cpu, const struct emu_pending_event *ev)
{
	uint64_t info2 = 0;

	if (ev->vector == X86_VEC_PF) {
		/* The faulting address goes to exit_info_2; CR2 keeps its value. */
		info2 = emu_reg_get(cpu, UC_X86_REG_CR2);
		emu_reg_set(cpu, UC_X86_REG_CR2, cpu->guest_cr2);
	}
	svm_vmexit(cpu, SVM_EXIT_EXCP_BASE + ev->vector, ev->has_error ? ev->error : 0, info2);
}

/*
 * Vector ev through the guest IDT, handling faults during delivery the way
 * the processor does: an intercepted fault exits with the event in
 * EXITINTINFO; otherwise two faults of the wrong kinds make a #DF, and a
 * fault while delivering #DF shuts the processor down (APM §8.2.9).
 */
static void deliver(struct emu_cpu *cpu, struct emu_pending_event ev, bool vnmi)
{
	struct svm_cpu *s = svm_of(cpu);

	for (;;) {
		struct emu_pending_event fault;

		s->delivering = true;
		s->delivering_info = event_info(&ev);
		s->delivering_err = ev.has_error ? ev.error : 0;
		s->delivering_vnmi = vnmi;
		if (emu_deliver(cpu, &ev, &fault) == 0) {
			s->delivering = false;
			s->delivering_vnmi = false;
			if (ev.kind == EMU_EVT_EXCEPTION && ev.vector == X86_VEC_PF)
				cpu->guest_cr2 = emu_reg_get(cpu, UC_X86_REG_CR2);
			if (ev.kind == EMU_EVT_NMI && !vnmi)
				s->guest_nmi_blocked = true;
			return;
		}
		if (fault.kind == EMU_EVT_SLAT) {
			/* A nested page fault while vectoring: #VMEXIT(NPF) with the event
			 * in EXITINTINFO and RIP where it was (§15.7.2, §15.25.6); the
			 * hypervisor injects it again once the page is there. */
			svm_vmexit(cpu, SVM_EXIT_NPF,
				   fault.slat_info | (fault.slat_table ? SVM_NPF_TABLE : SVM_NPF_FINAL),
				   fault.slat_gpa);
			return;
		}
		if (exception_intercepted(cpu, &fault)) {
			exit_on_exception(cpu, &fault);
			return;
		}
		if (ev.kind == EMU_EVT_EXCEPTION && ev.vector == X86_VEC_DF) {
			s->delivering = false;
			shutdown(cpu);
			return;
		}
		bool first_pf = ev.kind == EMU_EVT_EXCEPTION && ev.vector == X86_VEC_PF;
		bool first_contrib = ev.kind == EMU_EVT_EXCEPTION && contributory(ev.vector);
		bool second_bad = contributory(fault.vector) || fault.vector == X86_VEC_PF;

		if ((first_contrib && contributory(fault.vector)) || (first_pf && second_bad)) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = EMU_EVT_EXCEPTION;
			ev.vector = X86_VEC_DF;
			ev.has_error = true;
			ev.error = 0;
			if (exception_intercepted(cpu, &ev)) {
				/* The #DF itself exits; the first event is lost, as on hardware. */
				s->delivering = false;
				exit_on_exception(cpu, &ev);
				return;
			}
		} else {
			ev = fault;
		}
		vnmi = false;
	}
}

void svm_raise(struct emu_cpu *cpu, const struct emu_pending_event *ev)
{
	if (exception_intercepted(cpu, ev)) {
		exit_on_exception(cpu, ev);
		return;
	}
	deliver(cpu, *ev, false);
}

void svm_inject_eventinj(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);
	uint32_t inj = s->vmcb->control.event_inj;
	struct emu_pending_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.vector = inj & SVM_EVTINJ_VEC_MASK;
	ev.has_error = (inj & SVM_EVTINJ_VALID_ERR) != 0;
	ev.error = s->vmcb->control.event_inj_err;
	switch (inj & SVM_EVTINJ_TYPE_MASK) {
	case SVM_EVTINJ_TYPE_NMI:
		/* The vector field is ignored: an NMI always uses vector 2. */
		ev.kind = EMU_EVT_NMI;
		ev.vector = X86_VEC_NMI;
		ev.has_error = false;
		break;
	case SVM_EVTINJ_TYPE_INTR:
		ev.kind = EMU_EVT_INTR;
		ev.has_error = false;
		break;
	case SVM_EVTINJ_TYPE_SOFT:
		/* Injected software interrupts return to the guest RIP (§15.20). */
		ev.kind = EMU_EVT_SOFTINT;
		ev.next_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
		ev.has_error = false;
		break;
	default:
		ev.kind = EMU_EVT_EXCEPTION;
		break;
	}
	s->vmcb->control.event_inj &= ~SVM_EVTINJ_VALID;
	emu_emit(cpu, HV_EV_EVENTINJ, inj, ev.error, 0, 0, NULL);
	/* With vNMI enabled the processor blocks NMIs for an injected NMI too. */
	if (ev.kind == EMU_EVT_NMI && s->vnmi)
		s->vmcb->control.int_ctl |= V_NMI_BLOCKING_MASK;
	deliver(cpu, ev, ev.kind == EMU_EVT_NMI && s->vnmi);
}

static bool in_shadow(struct emu_cpu *cpu)
{
	return cpu->watch_shadow != 0;
}

bool svm_take_events(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);
	struct vmcb_control_area *c = &s->vmcb->control;
	uint64_t rflags;

	if (!svm_of(cpu)->gif || s->exit_pending)
		return false;
	/*
	 * Physical NMI: intercepted, or taken by the guest (§15.21.2). The
	 * #VMEXIT does not consume it: it stays pending (GIF is clear after
	 * the exit) until the host sets GIF and takes it.
	 */
	if (cpu->pins.nmi && svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_NMI)) {
		svm_vmexit(cpu, SVM_EXIT_NMI, 0, 0);
		return true;
	}
	/*
	 * INIT with the INIT intercept set exits (§15.21.3) and stays pending:
	 * GIF is clear after the exit, so it waits for STGI (§15.17.1), where
	 * the processor takes it unless VM_CR.R_INIT turns it into #SX — the
	 * reason R_INIT exists. KVM leaves it pending the same way.
	 */
	if (emu_intc_init_pending(cpu) && svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_INIT)) {
		emu_emit(cpu, HV_EV_INIT, HV_INIT_VMEXIT, 0, 0, 0, "INIT: #VMEXIT");
		svm_vmexit(cpu, SVM_EXIT_INIT, 0, 0);
		return true;
	}
	/* Not intercepted: the processor takes it, guest and host alike (reset.c). */
	if (emu_intc_init_pending(cpu))
		emu_init(cpu);
	rflags = emu_reg_get(cpu, UC_X86_REG_RFLAGS);
	if (cpu->pins.nmi && !s->guest_nmi_blocked && !in_shadow(cpu)) {
		struct emu_pending_event ev = { .kind = EMU_EVT_NMI, .vector = X86_VEC_NMI };

		cpu->pins.nmi = false;
		deliver(cpu, ev, false);
		return true;
	}
	/*
	 * A physical interrupt is recognised per the host's RFLAGS.IF (as it
	 * was at VMRUN: host code does not run meanwhile) when V_INTR_MASKING
	 * is set, and per the guest's otherwise (§15.21.1).
	 */
	bool intr_open = (c->int_ctl & V_INTR_MASKING_MASK) ? cpu->host_if
							    : (rflags & X86_RFLAGS_IF) != 0;

	if (cpu->pins.intr && intr_open && svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR)) {
		svm_vmexit(cpu, SVM_EXIT_INTR, 0, 0);
		return true;
	}
	if (in_shadow(cpu))
		return false;
	if (cpu->pins.intr && intr_open && !svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR)) {
		int vec = emu_intc_pending_vector(cpu);

		if (vec >= 0) {
			struct emu_pending_event ev = { .kind = EMU_EVT_INTR, .vector = (uint8_t)vec };

			emu_intc_ack(cpu, vec);
			deliver(cpu, ev, false);
			return true;
		}
	}
	if (s->vnmi && (c->int_ctl & V_NMI_PENDING_MASK) && !(c->int_ctl & V_NMI_BLOCKING_MASK)) {
		struct emu_pending_event ev = { .kind = EMU_EVT_NMI, .vector = X86_VEC_NMI };

		c->int_ctl &= ~V_NMI_PENDING_MASK;
		c->int_ctl |= V_NMI_BLOCKING_MASK;
		deliver(cpu, ev, true);
		return true;
	}
	if ((c->int_ctl & V_IRQ_MASK) && (rflags & X86_RFLAGS_IF)) {
		uint32_t prio = (c->int_ctl & V_INTR_PRIO_MASK) >> V_INTR_PRIO_SHIFT;

		if ((c->int_ctl & V_IGN_TPR_MASK) || prio > (c->int_ctl & V_TPR_MASK)) {
			struct emu_pending_event ev = { .kind = EMU_EVT_INTR,
							.vector = (uint8_t)c->int_vector };

			if (svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_VINTR)) {
				svm_vmexit(cpu, SVM_EXIT_VINTR, 0, 0);
				return true;
			}
			c->int_ctl &= ~V_IRQ_MASK;
			deliver(cpu, ev, false);
			return true;
		}
	}
	return false;
}

void svm_model_iret_completed(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);

	if (!s->guest)
		return;
	if (s->vnmi)
		s->vmcb->control.int_ctl &= ~V_NMI_BLOCKING_MASK;
	s->guest_nmi_blocked = false;
}

/*
 * INT n, INT3, INTO and INT1 (ICEBP), trapped before they execute (APM
 * vol. 2 §15.12, §15.7.1; vol. 3 "INT n"): their intercepts report the
 * instruction itself with nRIP after it (INT n with the vector in
 * EXITINFO1 under DecodeAssists); otherwise the event is vectored with
 * the return address after the instruction, INT n as a software
 * interrupt (with its DPL check), the others as the exceptions #BP, #OF
 * and #DB.
 */
void svm_software_event(struct emu_cpu *cpu, uint8_t opcode, uint8_t vector, uint8_t len)
{
	struct svm_cpu *s = svm_of(cpu);
	struct emu_pending_event ev;
	uint64_t next = cpu->stop_rip + len;

	memset(&ev, 0, sizeof(ev));
	ev.next_rip = next;
	switch (opcode) {
	case 0xcd:
		if (svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_INTN)) {
			/* Decode assists: the vector in exit_info_1 (§15.8.2). */
			svm_vmexit_insn(cpu, SVM_EXIT_SWINT, s->has_decode ? vector : 0, 0, len);
			return;
		}
		ev.kind = EMU_EVT_SOFTINT;
		ev.vector = vector;
		deliver(cpu, ev, false);
		return;
	case 0xf1:
		if (svm_intercepted(s, VMCB_INTERCEPT_MISC2, INTERCEPT_ICEBP)) {
			svm_vmexit_insn(cpu, SVM_EXIT_ICEBP, 0, 0, len);
			return;
		}
		ev.vector = X86_VEC_DB;
		break;
	default:
		ev.vector = opcode == 0xcc ? X86_VEC_BP : X86_VEC_OF;
		break;
	}
	ev.kind = EMU_EVT_EXCEPTION;
	if (exception_intercepted(cpu, &ev)) {
		svm_vmexit_insn(cpu, SVM_EXIT_EXCP_BASE + ev.vector, 0, 0, len);
		return;
	}
	/* Traps: the frame holds the address after the instruction. */
	emu_reg_set(cpu, UC_X86_REG_RIP, next);
	deliver(cpu, ev, false);
}

/* Exceptions that Unicorn reported from a guest instruction. */
void svm_handle_exception(struct emu_cpu *cpu)
{
	struct emu_pending_event ev;
	uint8_t vec = (uint8_t)cpu->stop_intno;

	memset(&ev, 0, sizeof(ev));
	ev.vector = vec;
	ev.kind = EMU_EVT_EXCEPTION;
	if (pushes_error(vec)) {
		ev.has_error = true;
		ev.error = cpu->stop_error;
	}
	emu_cpustate_clear_exception(cpu);
	/* The faulting address as QEMU first reported it (see the engine's hook). */
	if (vec == X86_VEC_PF)
		emu_reg_set(cpu, UC_X86_REG_CR2, cpu->stop_cr2);
	svm_raise(cpu, &ev);
}
