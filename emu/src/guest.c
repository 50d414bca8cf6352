/* SPDX-License-Identifier: MIT */
/*
 * Guest mode: the engine runs guest code (or code a start-up IPI started)
 * in quanta until the virtualization extension says the guest left. The
 * loop is the processor's; every decision in it — which events are taken,
 * what an instruction stop or exception means, where a second-level fault
 * goes — is the extension's (emu/vext.h).
 */
#include "emu_internal.h"

void emu_guest_run(struct emu_cpu *cpu)
{
	const struct emu_vext *x = cpu->m->vext;
	struct emu_machine *m = cpu->m;

	while (!x->guest_left(cpu)) {
		uint64_t limit = m->cfg.max_cycles ? m->cfg.max_cycles : ~0ull;
		uint64_t deadline;

		emu_timed_events(cpu);
		if (x->take_events(cpu))
			continue;
		if (cpu->cycle >= limit)
			emu_fatal(cpu, "cycle limit %llu reached %s at rip %#llx",
				  (unsigned long long)limit,
				  cpu->bare ? "in code started by SIPI" : "in guest mode",
				  (unsigned long long)emu_reg_get(cpu, UC_X86_REG_RIP));
		deadline = cpu->cycle + m->cfg.quantum;
		if (deadline > limit || deadline < cpu->cycle)
			deadline = limit;
		emu_set_deadline(cpu, deadline);
		switch (emu_engine_run(cpu)) {
		case EMU_STOP_QUANTUM:
			emu_schedule_point(cpu);
			break;
		case EMU_STOP_EVENT:
		case EMU_STOP_RESTART:
		case EMU_STOP_NONE:
			break;
		case EMU_STOP_TRAP:
			x->trap(cpu);
			break;
		case EMU_STOP_INVALID:
			x->invalid(cpu);
			break;
		case EMU_STOP_EXCEPTION:
			x->exception(cpu);
			break;
		case EMU_STOP_SLAT:
			x->slat_fault(cpu);
			break;
		case EMU_STOP_UNMAPPED:
			emu_fatal(cpu, "guest access to %#llx is beyond the physical address space "
				  "(rip %#llx)", (unsigned long long)cpu->fault_la,
				  (unsigned long long)cpu->stop_rip);
		}
	}
}

/*
 * HLT no intercept took: the processor stops until an event it can take
 * (SDM vol. 2 and APM vol. 3 "HLT"). While halted it does nothing: its
 * clock skips to its next timed event when it is the processor furthest
 * behind, and an IPI from another processor wakes it at the sender's
 * cycle. With neither, the run ends with an error rather than hang.
 */
void emu_guest_halt(struct emu_cpu *cpu)
{
	const struct emu_vext *x = cpu->m->vext;

	for (;;) {
		emu_timed_events(cpu);
		if (x->take_events(cpu) || x->guest_left(cpu))
			return;
		if (cpu->event_at == ~0ull && cpu->m->cfg.ncpus == 1)
			emu_fatal(cpu, "guest HLT at rip %#llx with the HLT intercept clear and "
				  "nothing that could wake it",
				  (unsigned long long)emu_reg_get(cpu, UC_X86_REG_RIP));
		cpu->state = EMU_CPU_BLOCKED;
		emu_coro_yield();
	}
}

/*
 * NMIs and, with RFLAGS.IF set (arch_irq_enable), maskable interrupts at a
 * host-mode instruction boundary the extension opened. The platform's
 * handlers, as on the hardware image, only count NMIs (arch_host_nmis) and
 * interrupts (arch_host_irqs), and signal EOI for an interrupt.
 */
void emu_host_interrupts(struct emu_cpu *cpu)
{
	int vec;

	if (cpu->pins.nmi) {
		cpu->pins.nmi = false;
		cpu->host_nmis++;
		cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_EVENT_DELIVERY);
		emu_emit(cpu, HV_EV_HOST_NMI, 0, 0, 0, 0, NULL);
	}
	while (cpu->host_if && (vec = emu_intc_pending_vector(cpu)) >= 0) {
		emu_intc_ack(cpu, vec);
		cpu->host_irqs++;
		cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_EVENT_DELIVERY);
		emu_emit(cpu, HV_EV_HOST_IRQ, (uint64_t)vec, 0, 0, 0, NULL);
		/* Like the hardware image's handler: FFh is taken for spurious. */
		if (vec != 0xff)
			emu_intc_eoi(cpu);
	}
}
