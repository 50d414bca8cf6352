/* SPDX-License-Identifier: MIT */
/*
 * Events in VMX non-root operation: exceptions and the exception bitmap
 * (§26.2), event injection at VM entry (§27.6), external interrupts and
 * NMIs with their pin-based controls, virtual NMIs, the interrupt and NMI
 * windows (§26.7.5, §26.7.6), INIT and SIPI (§26.2, §25.2), the
 * VMX-preemption timer (§26.5.1) and the activity states (§27.7). Each
 * event ends delivered through the guest IDT or in a VM exit; an exit cut
 * into a delivery reports it in the IDT-vectoring information.
 */
#include <string.h>

#include "vmx-model/vmx_model.h"
#include "x86/cpu.h"

static const struct vmx_controls *ctl(struct emu_cpu *cpu)
{
	return &vmx_of(cpu)->vmcs->ctl;
}

static bool pin(struct emu_cpu *cpu, uint32_t bit)
{
	return !cpu->bare && (ctl(cpu)->pin_based & bit);
}

static bool cpu_based(struct emu_cpu *cpu, uint32_t bit)
{
	return !cpu->bare && (ctl(cpu)->cpu_based & bit);
}

static bool contributory(uint8_t v)
{
	return v == X86_VEC_DE || v == X86_VEC_TS || v == X86_VEC_NP || v == X86_VEC_SS ||
	       v == X86_VEC_GP;
}

/* Exceptions that push an error code (SDM vol. 3 table 6-1). */
static bool pushes_error(uint8_t v)
{
	return v == X86_VEC_DF || v == X86_VEC_TS || v == X86_VEC_NP || v == X86_VEC_SS ||
	       v == X86_VEC_GP || v == X86_VEC_PF || v == X86_VEC_AC || v == X86_VEC_CP;
}

/* The interruption type an event is reported with (§25.8.3). */
static uint32_t event_type(const struct emu_pending_event *ev, uint32_t exc_type)
{
	switch (ev->kind) {
	case EMU_EVT_NMI:
		return INTR_TYPE_NMI;
	case EMU_EVT_INTR:
		return INTR_TYPE_EXTERNAL_INTERRUPT;
	case EMU_EVT_SOFTINT:
		return INTR_TYPE_SOFTWARE_INTERRUPT;
	default:
		return exc_type;
	}
}

static uint32_t event_info(const struct emu_pending_event *ev, uint32_t exc_type)
{
	return vmx_intr_info(event_type(ev, exc_type), ev->vector) |
	       (ev->has_error ? INTR_INFO_DELIVER_CODE : 0);
}

/* Does the exception bitmap make this exception exit? #PF also through the
 * page-fault error-code mask and match (§26.2). */
static bool exception_exits(struct emu_cpu *cpu, const struct emu_pending_event *ev)
{
	const struct vmx_controls *c;
	bool bit;

	if (cpu->bare || ev->kind != EMU_EVT_EXCEPTION)
		return false;
	c = ctl(cpu);
	bit = (c->exception_bitmap >> ev->vector) & 1;
	if (ev->vector == X86_VEC_PF) {
		bool match = (ev->error & c->page_fault_error_code_mask) ==
			     c->page_fault_error_code_match;

		return bit ? match : !match;
	}
	return bit;
}

static void exit_on_exception(struct emu_cpu *cpu, const struct emu_pending_event *ev,
			      uint32_t type, uint8_t len)
{
	uint64_t qual = 0;

	if (ev->vector == X86_VEC_PF) {
		/* The faulting address is the qualification; CR2 keeps its value
		 * (§28.1). */
		qual = emu_reg_get(cpu, UC_X86_REG_CR2);
		emu_reg_set(cpu, UC_X86_REG_CR2, cpu->guest_cr2);
	}
	vmx_vmexit_event(cpu, VMX_EXIT_EXCEPTION_NMI, event_info(ev, type), ev->error, qual, len);
}

static void triple_fault(struct emu_cpu *cpu)
{
	vmx_of(cpu)->delivering = false;
	if (cpu->bare)
		emu_bare_shutdown(cpu);
	/* A triple fault in VMX non-root operation always exits (§26.2). */
	vmx_vmexit(cpu, VMX_EXIT_TRIPLE_FAULT, 0, 0);
}

/*
 * Vector ev through the guest IDT, handling faults during delivery as the
 * processor does: a fault the exception bitmap takes exits with the event
 * in the IDT-vectoring information; otherwise two faults of the wrong
 * kinds make a #DF, and a fault while delivering #DF is a triple fault
 * (SDM vol. 3 §6.15).
 */
static void deliver(struct emu_cpu *cpu, struct emu_pending_event ev, uint32_t exc_type)
{
	struct vmx_cpu *v = vmx_of(cpu);

	for (;;) {
		struct emu_pending_event fault;

		v->delivering = true;
		v->delivering_info = event_info(&ev, exc_type);
		v->delivering_err = ev.has_error ? ev.error : 0;
		if (emu_deliver(cpu, &ev, &fault) == 0) {
			v->delivering = false;
			/* A delivered event ends HLT (§27.7). */
			v->activity = GUEST_ACTIVITY_ACTIVE;
			if (ev.kind == EMU_EVT_EXCEPTION && ev.vector == X86_VEC_PF)
				cpu->guest_cr2 = emu_reg_get(cpu, UC_X86_REG_CR2);
			if (ev.kind == EMU_EVT_NMI)
				v->nmi_blocked = true;
			return;
		}
		if (fault.kind == EMU_EVT_SLAT) {
			/* An EPT violation or misconfiguration while vectoring: the exit
			 * reports the event in the IDT-vectoring information (§28.2.4). */
			vmx_ept_exit(cpu, fault.slat_info, fault.slat_gpa, fault.slat_la);
			return;
		}
		if (exception_exits(cpu, &fault)) {
			exit_on_exception(cpu, &fault, INTR_TYPE_HARDWARE_EXCEPTION, 0);
			return;
		}
		if (ev.kind == EMU_EVT_EXCEPTION && ev.vector == X86_VEC_DF) {
			triple_fault(cpu);
			return;
		}
		bool first_pf = ev.kind == EMU_EVT_EXCEPTION && ev.vector == X86_VEC_PF;
		bool first_contrib = ev.kind == EMU_EVT_EXCEPTION && contributory(ev.vector);
		bool second_bad = contributory(fault.vector) || fault.vector == X86_VEC_PF;

		exc_type = INTR_TYPE_HARDWARE_EXCEPTION;
		if ((first_contrib && contributory(fault.vector)) || (first_pf && second_bad)) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = EMU_EVT_EXCEPTION;
			ev.vector = X86_VEC_DF;
			ev.has_error = true;
			if (exception_exits(cpu, &ev)) {
				v->delivering = false;
				exit_on_exception(cpu, &ev, INTR_TYPE_HARDWARE_EXCEPTION, 0);
				return;
			}
		} else {
			ev = fault;
		}
	}
}

void vmx_raise(struct emu_cpu *cpu, const struct emu_pending_event *ev)
{
	if (exception_exits(cpu, ev)) {
		exit_on_exception(cpu, ev, INTR_TYPE_HARDWARE_EXCEPTION, 0);
		return;
	}
	deliver(cpu, *ev, INTR_TYPE_HARDWARE_EXCEPTION);
}

void vmx_handle_exception(struct emu_cpu *cpu)
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
	if (vec == X86_VEC_PF)
		emu_reg_set(cpu, UC_X86_REG_CR2, cpu->stop_cr2);
	vmx_raise(cpu, &ev);
}

/*
 * INT n, INT3, INTO and INT1 trapped before they run: INT n is a software
 * interrupt no control takes; INT3 and INTO are software exceptions and
 * INT1 a privileged software exception, which the exception bitmap can
 * make exit with the instruction's length (§26.2, §28.2.2).
 */
void vmx_software_event(struct emu_cpu *cpu, uint8_t opcode, uint8_t vector, uint8_t len)
{
	struct emu_pending_event ev;
	uint64_t next = cpu->stop_rip + len;
	uint32_t type = opcode == 0xf1 ? INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION :
					 INTR_TYPE_SOFTWARE_EXCEPTION;

	memset(&ev, 0, sizeof(ev));
	ev.next_rip = next;
	if (opcode == 0xcd) {
		ev.kind = EMU_EVT_SOFTINT;
		ev.vector = vector;
		deliver(cpu, ev, INTR_TYPE_SOFTWARE_INTERRUPT);
		return;
	}
	ev.kind = EMU_EVT_EXCEPTION;
	ev.vector = opcode == 0xf1 ? X86_VEC_DB : opcode == 0xcc ? X86_VEC_BP : X86_VEC_OF;
	if (exception_exits(cpu, &ev)) {
		exit_on_exception(cpu, &ev, type, len);
		return;
	}
	/* Traps: the frame holds the address after the instruction. */
	emu_reg_set(cpu, UC_X86_REG_RIP, next);
	deliver(cpu, ev, type);
}

/* VM-entry event injection (§27.6), after the guest state is loaded. */
void vmx_inject(struct emu_cpu *cpu)
{
	const struct vmx_controls *c = ctl(cpu);
	uint32_t info = c->entry_intr_info, type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	struct emu_pending_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.vector = info & INTR_INFO_VECTOR_MASK;
	ev.has_error = (info & INTR_INFO_DELIVER_CODE) != 0;
	ev.error = c->entry_exception_error_code;
	emu_emit(cpu, HV_EV_EVENTINJ, info, ev.error, 1, 0, NULL);
	switch (type) {
	case INTR_TYPE_EXTERNAL_INTERRUPT:
		ev.kind = EMU_EVT_INTR;
		break;
	case INTR_TYPE_NMI:
		ev.kind = EMU_EVT_NMI;
		ev.vector = X86_VEC_NMI;
		break;
	case INTR_TYPE_SOFTWARE_INTERRUPT:
		ev.kind = EMU_EVT_SOFTINT;
		ev.next_rip = emu_reg_get(cpu, UC_X86_REG_RIP) + c->entry_instruction_len;
		break;
	case INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION:
	case INTR_TYPE_SOFTWARE_EXCEPTION:
		/* The frame holds the address after the instruction. */
		ev.kind = EMU_EVT_EXCEPTION;
		emu_reg_set(cpu, UC_X86_REG_RIP,
			    emu_reg_get(cpu, UC_X86_REG_RIP) + c->entry_instruction_len);
		break;
	case INTR_TYPE_HARDWARE_EXCEPTION:
		ev.kind = EMU_EVT_EXCEPTION;
		break;
	default:
		emu_fatal(cpu, "VM entry injects an event of type %u, which the model does not "
			  "advertise", type);
	}
	deliver(cpu, ev, type);
}

/*
 * Pending debug exceptions after VM entry (§27.7.3): with no event injected
 * and no blocking by MOV SS, a #DB for the breakpoints and single step the
 * field names (B3-B0, BS) comes before the first guest instruction, and
 * before a preemption timer that is already 0. The exception bitmap may
 * make it exit, with those bits in the qualification and DR6 untouched
 * (§28.2.1); otherwise DR6 gets them and the #DB is delivered as a trap.
 */
void vmx_pending_debug(struct emu_cpu *cpu, uint64_t pending)
{
	uint64_t bits = pending & (GUEST_PENDING_DBG_B0_B3 | GUEST_PENDING_DBG_BS);
	struct emu_pending_event ev;

	/* Nothing is delivered in wait-for-SIPI or shutdown. */
	if (!bits || (vmx_of(cpu)->activity != GUEST_ACTIVITY_ACTIVE &&
		      vmx_of(cpu)->activity != GUEST_ACTIVITY_HLT))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EMU_EVT_EXCEPTION;
	ev.vector = X86_VEC_DB;
	if (exception_exits(cpu, &ev)) {
		vmx_vmexit_event(cpu, VMX_EXIT_EXCEPTION_NMI,
				 event_info(&ev, INTR_TYPE_HARDWARE_EXCEPTION), 0, bits, 0);
		return;
	}
	emu_cpustate_set_dr(cpu, 6, emu_cpustate_dr(cpu, 6) | bits);
	deliver(cpu, ev, INTR_TYPE_HARDWARE_EXCEPTION);
}

/* --- the VMX-preemption timer (§26.5.1) ----------------------------------- */

static unsigned timer_rate(const struct vmx_cpu *v)
{
	return (unsigned)(v->caps.misc & 0x1f);
}

void vmx_timer_arm(struct emu_cpu *cpu, uint32_t value)
{
	struct vmx_cpu *v = vmx_of(cpu);
	unsigned x = timer_rate(v);

	/* It counts down each time TSC bit X changes: zero at the value-th
	 * such change from now. */
	v->timer_zero_at = ((cpu->cycle >> x) << x) + ((uint64_t)value << x);
	v->timer_armed = true;
	v->timer_expired = false;
	emu_timed_sync(cpu);
}

uint32_t vmx_timer_value(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);
	unsigned x = timer_rate(v);

	if (cpu->cycle >= v->timer_zero_at)
		return 0;
	return (uint32_t)((v->timer_zero_at >> x) - (cpu->cycle >> x));
}

/* --- taking events at an instruction boundary ------------------------------ */

static bool in_shadow(struct emu_cpu *cpu)
{
	return cpu->watch_shadow != 0;
}

/* Code a start-up IPI started: no VMX, the events of any processor. */
static bool bare_events(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	if (emu_intc_init_pending(cpu))
		emu_init(cpu);
	if (cpu->pins.nmi && !v->nmi_blocked && !in_shadow(cpu)) {
		struct emu_pending_event ev = { .kind = EMU_EVT_NMI, .vector = X86_VEC_NMI };

		cpu->pins.nmi = false;
		deliver(cpu, ev, INTR_TYPE_NMI);
		return true;
	}
	if (cpu->pins.intr && !in_shadow(cpu) &&
	    (emu_reg_get(cpu, UC_X86_REG_RFLAGS) & X86_RFLAGS_IF)) {
		int vec = emu_intc_pending_vector(cpu);

		if (vec >= 0) {
			struct emu_pending_event ev = { .kind = EMU_EVT_INTR, .vector = (uint8_t)vec };

			emu_intc_ack(cpu, vec);
			deliver(cpu, ev, INTR_TYPE_EXTERNAL_INTERRUPT);
			return true;
		}
	}
	return false;
}

/* An activity state other than active runs no instruction: the processor
 * waits for what ends it. With nothing that could, the run ends with an
 * error rather than hang. */
static bool wait_inactive(struct emu_cpu *cpu)
{
	if (cpu->event_at == ~0ull && cpu->m->cfg.ncpus == 1)
		emu_fatal(cpu, "guest activity state %u with nothing that could end it",
			  vmx_of(cpu)->activity);
	cpu->state = EMU_CPU_BLOCKED;
	emu_coro_yield();
	return true;
}

bool vmx_take_events(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);
	uint64_t rflags;
	uint8_t vector;
	bool active = v->activity == GUEST_ACTIVITY_ACTIVE;
	bool wait_sipi = v->activity == GUEST_ACTIVITY_WAIT_SIPI;

	if (v->exit_pending)
		return false;
	if (cpu->bare) {
		if (bare_events(cpu))
			return true;
		return v->activity != GUEST_ACTIVITY_ACTIVE && wait_inactive(cpu);
	}
	/* INIT exits, except in wait-for-SIPI, where it is blocked (§25.2). */
	if (emu_intc_init_pending(cpu) && !wait_sipi) {
		(void)emu_intc_take_init(cpu);
		emu_emit(cpu, HV_EV_INIT, HV_INIT_VMEXIT, 0, 0, 0, "INIT: VM exit");
		vmx_vmexit(cpu, VMX_EXIT_INIT_SIGNAL, 0, 0);
		return true;
	}
	/* A SIPI exits in wait-for-SIPI with its vector; elsewhere it is
	 * discarded (§25.2). */
	if (emu_intc_take_sipi(cpu, &vector)) {
		if (wait_sipi) {
			emu_emit(cpu, HV_EV_SIPI, vector, 2, 0, 0, "SIPI: VM exit");
			vmx_vmexit(cpu, VMX_EXIT_SIPI_SIGNAL, vector, 0);
			return true;
		}
		emu_emit(cpu, HV_EV_SIPI, vector, 0, 0, 0, "SIPI ignored: not waiting for one");
	}
	/* The timer counts in every activity state but causes no exit in
	 * wait-for-SIPI (§26.5.1). */
	if (v->timer_expired && !wait_sipi) {
		vmx_vmexit(cpu, VMX_EXIT_PREEMPTION_TIMER, 0, 0);
		return true;
	}
	if (wait_sipi)
		return wait_inactive(cpu);
	/* NMIs: exit under "NMI exiting" (the NMI is consumed, reported in the
	 * exit interruption information), else delivered unless blocked. */
	if (cpu->pins.nmi && !in_shadow(cpu)) {
		if (pin(cpu, PIN_BASED_NMI_EXITING)) {
			cpu->pins.nmi = false;
			vmx_vmexit_event(cpu, VMX_EXIT_EXCEPTION_NMI,
					 vmx_intr_info(INTR_TYPE_NMI, X86_VEC_NMI), 0, 0, 0);
			return true;
		}
		if (!v->nmi_blocked) {
			struct emu_pending_event ev = { .kind = EMU_EVT_NMI, .vector = X86_VEC_NMI };

			cpu->pins.nmi = false;
			deliver(cpu, ev, INTR_TYPE_NMI);
			return true;
		}
	}
	/* The NMI window opens when nothing blocks a virtual NMI (§26.7.6). */
	if (cpu_based(cpu, CPU_BASED_NMI_WINDOW_EXITING) && !v->nmi_blocked && !in_shadow(cpu)) {
		vmx_vmexit(cpu, VMX_EXIT_NMI_WINDOW, 0, 0);
		return true;
	}
	rflags = emu_reg_get(cpu, UC_X86_REG_RFLAGS);
	/* "External-interrupt exiting": RFLAGS.IF and the shadows do not block
	 * the exit (§25.3); acknowledging on exit reports the vector. */
	if (cpu->pins.intr && pin(cpu, PIN_BASED_EXTERNAL_INTERRUPT_EXITING)) {
		uint32_t info = 0;

		if (ctl(cpu)->exit_controls & VM_EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT) {
			int vec = emu_intc_pending_vector(cpu);

			if (vec >= 0) {
				emu_intc_ack(cpu, vec);
				info = vmx_intr_info(INTR_TYPE_EXTERNAL_INTERRUPT, (uint32_t)vec);
			}
		}
		vmx_vmexit_event(cpu, VMX_EXIT_EXTERNAL_INTERRUPT, info, 0, 0, 0);
		return true;
	}
	if (!in_shadow(cpu) && (rflags & X86_RFLAGS_IF)) {
		/* The interrupt window (§26.7.5). */
		if (cpu_based(cpu, CPU_BASED_INTERRUPT_WINDOW_EXITING)) {
			vmx_vmexit(cpu, VMX_EXIT_INTERRUPT_WINDOW, 0, 0);
			return true;
		}
		if (cpu->pins.intr) {
			int vec = emu_intc_pending_vector(cpu);

			if (vec >= 0) {
				struct emu_pending_event ev = { .kind = EMU_EVT_INTR,
								.vector = (uint8_t)vec };

				emu_intc_ack(cpu, vec);
				deliver(cpu, ev, INTR_TYPE_EXTERNAL_INTERRUPT);
				return true;
			}
		}
	}
	return !active && wait_inactive(cpu);
}

bool vmx_iret_unblocks(struct emu_cpu *cpu)
{
	return vmx_of(cpu)->nmi_blocked;
}

void vmx_iret_completed(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	if (v->guest)
		v->nmi_blocked = false;
}

/*
 * Host code's instruction boundaries: in VMX root operation INIT is
 * blocked, held until VMXOFF (§25.2); outside VMX operation it resets the
 * processor. Then NMIs and interrupts (emu_host_interrupts).
 */
void vmx_host_events(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	emu_timed_events(cpu);
	if (v->guest)
		return;
	if (emu_intc_init_pending(cpu) && !v->vmxon)
		emu_init(cpu);
	emu_host_interrupts(cpu);
}
