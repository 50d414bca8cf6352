/* SPDX-License-Identifier: MIT */
/*
 * What INIT and start-up IPIs do to a model processor. The interrupt
 * controller delivers them (emu/pins.h); when the processor takes an INIT
 * is its virtualization extension's to say (GIF on AMD, VMX operation on
 * Intel: at its instruction boundaries, emu_vext.take_events and
 * host_events); what taking one does is here:
 *
 *  - An INIT reset (SDM vol. 3 §9.1, table 9-1), after which an
 *    application processor waits for a start-up IPI (§8.4.1). The host code
 *    it was running, and the hypervisor's guest with it, are gone.
 *  - A start-up IPI reaches only a processor that waits for one: it starts
 *    in real mode with CS.selector = vector << 8, CS.base = vector << 12,
 *    IP = 0 (§8.4.4; facts §(e)). Every other processor ignores it.
 *  - Code a start-up IPI started belongs to no hypervisor. It runs in the
 *    engine as the extension's guest of nothing: nothing is intercepted,
 *    interrupts and NMIs go through its own IVT or IDT, and HLT waits for
 *    them (emu_vext.bare_enter).
 *
 * A processor that takes INIT on its own coroutine never returns to the
 * code it was running: the coroutine is abandoned, and the start-up IPI
 * begins a fresh one.
 */
#include <string.h>

#include "emu_internal.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* Real-mode segment attributes in the packed descriptor form (APM §15.5.1):
 * present, S = 1; code execute/read accessed, data read/write accessed. */
#define SEG_ATTR_CODE16 0x09bu
#define SEG_ATTR_DATA16 0x093u
#define SEG_ATTR_LDT    0x082u
#define SEG_ATTR_TSS16_BUSY 0x083u

/* DR6 and DR7 after INIT (SDM vol. 3 table 9-1). */
#define DR6_INIT 0xffff0ff0ull
#define DR7_INIT 0x400ull

static bool runs_code(const struct emu_cpu *cpu)
{
	return cpu->coro && !cpu->wait_for_sipi &&
	       (cpu->state == EMU_CPU_READY || cpu->state == EMU_CPU_BLOCKED);
}

/* Everything an INIT resets in the processor (SDM vol. 3 table 9-1). */
static void init_state(struct emu_cpu *cpu)
{
	/* CD and NW keep their values; the rest of CR0 is cleared but ET. The
	 * model's host code runs with caching on (CD = NW = 0); engine code
	 * has its own CR0 in the processor. */
	uint64_t cdnw = cpu->m->vext->in_guest(cpu) ?
				emu_reg_get(cpu, UC_X86_REG_CR0) & (X86_CR0_CD | X86_CR0_NW) : 0;

	cpu->init_cr0 = X86_CR0_ET | cdnw;
	cpu->m->vext->init_reset(cpu);
	cpu->shutdown = false;
	/* EFER is cleared (KVM: kvm_vcpu_reset). */
	cpu->efer = 0;
	cpu->watch_iret_rip = 0;
	cpu->watch_shadow = 0;
	cpu->watch_popf = false;
	cpu->stop = EMU_STOP_NONE;
	emu_watch_update(cpu);
	emu_intc_init_reset(cpu);
	emu_timed_sync(cpu);
	cpu->bare = false;
	cpu->wait_for_sipi = true;
}

/* IA32_APIC_BASE.BSP (SDM vol. 3 §11.4.4). */
static bool is_bsp(struct emu_cpu *cpu)
{
	uint64_t base = 0;

	return emu_msr_read(cpu, MSR_IA32_APIC_BASE, &base) == ARCH_OK &&
	       (base & MSR_APIC_BASE_BSP);
}

void emu_init(struct emu_cpu *cpu)
{
	(void)emu_intc_take_init(cpu);
	/* The BSP would restart at the reset vector, where the model has no
	 * firmware (SDM vol. 3 §9.1.4). */
	if (is_bsp(cpu))
		emu_fatal(cpu, "INIT reset of the bootstrap processor: it would restart at the "
			  "reset vector, and the model has no firmware there");
	init_state(cpu);
	cpu->state = EMU_CPU_BLOCKED;
	emu_emit(cpu, HV_EV_INIT, HV_INIT_WAIT_FOR_SIPI, 0, 0, 0, "INIT: wait for SIPI");
	if (cpu == emu_current_cpu()) {
		/* Never resumed: a start-up IPI starts a fresh coroutine. */
		for (;;)
			emu_coro_yield();
	}
	emu_coro_free(cpu->coro);
	cpu->coro = NULL;
}

/* The state a start-up IPI leaves (SDM vol. 3 table 9-1, §8.4.4). */
static void startup_state(struct emu_cpu *cpu, struct emu_regs *r)
{
	struct arch_cpuid id;
	struct x86_seg data = { .selector = 0, .attrib = SEG_ATTR_DATA16, .limit = 0xffff };

	memset(r, 0, sizeof(*r));
	r->cs.selector = (uint16_t)(cpu->sipi_vector << 8);
	r->cs.base = (uint64_t)cpu->sipi_vector << 12;
	r->cs.limit = 0xffff;
	r->cs.attrib = SEG_ATTR_CODE16;
	r->ds = r->es = r->ss = r->fs = r->gs = data;
	r->gdtr.limit = 0xffff;
	r->idtr.limit = 0xffff;
	r->ldtr.attrib = SEG_ATTR_LDT;
	r->ldtr.limit = 0xffff;
	r->tr.attrib = SEG_ATTR_TSS16_BUSY;
	r->tr.limit = 0xffff;
	r->rip = 0;
	r->rflags = X86_RFLAGS_FIXED;
	r->cr0 = cpu->init_cr0;
	r->dr6 = DR6_INIT;
	r->dr7 = DR7_INIT;
	/* EDX holds the processor's signature, CPUID Fn0000_0001 EAX. */
	emu_cpuid(cpu, 1, 0, false, &id);
	r->gpr[X86_RDX] = id.eax;
}

static void startup(void *arg)
{
	struct emu_cpu *cpu = arg;
	struct emu_regs r;

	startup_state(cpu, &r);
	cpu->m->vext->bare_enter(cpu);
	cpu->fs = r.fs;
	cpu->gs = r.gs;
	cpu->tr = r.tr;
	cpu->ldtr = r.ldtr;
	emu_engine_set_slat(cpu, NULL);
	emu_engine_sync_tlb(cpu, &r, 0, 0, true);
	emu_cpustate_load(cpu, &r);
	emu_guest_run(cpu);
	/* Nothing is intercepted, so nothing ends the loop. */
	emu_fatal(cpu, "code started by SIPI left the processor's run loop");
}

static void start(struct emu_cpu *cpu, uint8_t vector)
{
	struct emu_cpu *from = emu_current_cpu();

	cpu->wait_for_sipi = false;
	cpu->bare = true;
	cpu->sipi_vector = vector;
	cpu->state = EMU_CPU_OFF;
	if (emu_cpu_launch(cpu, startup, cpu) != 0)
		emu_fatal(cpu, "out of memory for a processor started by SIPI");
	/* It starts when the start-up IPI arrives, on the sender's clock. */
	if (from && from->cycle > cpu->cycle)
		cpu->cycle = from->cycle;
	emu_emit(cpu, HV_EV_SIPI, vector, 1, 0, 0, "SIPI: start");
}

void emu_signal(struct emu_cpu *cpu)
{
	uint8_t vector;

	/* A start-up IPI the extension takes itself (a guest in wait-for-SIPI,
	 * where an INIT is blocked) waits for the processor's next boundary. */
	if (cpu->m->vext->sipi_held && cpu->m->vext->sipi_held(cpu)) {
		emu_cpu_kick(cpu);
		return;
	}
	/* A processor running code notices an INIT at its next instruction
	 * boundary (host seam call, guest or SIPI code); one that runs
	 * nothing, or waits for a start-up IPI, takes it now. */
	if (emu_intc_init_pending(cpu)) {
		if (runs_code(cpu)) {
			emu_cpu_kick(cpu);
			/* Not waiting: a start-up IPI with it would be ignored. */
			(void)emu_intc_take_sipi(cpu, NULL);
			return;
		}
		emu_init(cpu);
	}
	if (!emu_intc_take_sipi(cpu, &vector))
		return;
	if (!cpu->wait_for_sipi) {
		emu_emit(cpu, HV_EV_SIPI, vector, 0, 0, 0, "SIPI ignored: not waiting for one");
		return;
	}
	start(cpu, vector);
}

_Noreturn void emu_bare_shutdown(struct emu_cpu *cpu)
{
	cpu->shutdown = true;
	emu_emit(cpu, HV_EV_SHUTDOWN, 0, 0, 0, 0, "triple fault in code started by SIPI");
	/* The SDM (vol. 3 §6.15, interrupt 8) lets NMI, SMI, INIT or RESET end
	 * shutdown; the model waits for INIT. */
	for (;;) {
		cpu->state = EMU_CPU_BLOCKED;
		emu_coro_yield();
		if (emu_intc_init_pending(cpu))
			emu_init(cpu);
	}
}

void emu_reclaim(struct emu_cpu *cpu)
{
	if (!cpu->wait_for_sipi && !cpu->bare)
		return;
	/* The hardware image starts such a processor again with INIT and its
	 * own start-up code; on the model, its INIT reset is all of it. */
	if (!cpu->wait_for_sipi)
		emu_init(cpu);
	cpu->wait_for_sipi = false;
	cpu->state = EMU_CPU_OFF;
}
