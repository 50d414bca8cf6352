/* SPDX-License-Identifier: MIT */
/*
 * Which instructions the engine stops before in guest mode, and the
 * model's own emulation of the ones no intercept takes: what the processor
 * does with them whatever its virtualization extension. The extension
 * decides whether one exits (its intercept policy, emu_vext.trap_wanted)
 * and dispatches the stop (emu_vext.trap); these are what it calls for the
 * instructions that do not exit.
 */
#include <capstone/x86.h>

#include "emu_internal.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* MSRs whose values only the model knows: its clock, its devices' and its
 * extension's registers. */
static bool msr_needs_model(struct emu_cpu *cpu, uint32_t msr)
{
	return msr == MSR_IA32_TSC || msr == MSR_TSC_AUX || msr == MSR_EFER ||
	       emu_msr_device(cpu, msr) || cpu->m->vext->owns_msr(msr);
}

bool emu_trap_wanted(struct emu_cpu *cpu, const struct emu_insn *in)
{
	const struct emu_vext *x = cpu->m->vext;

	if (!x->in_guest(cpu))
		return false;
	switch (in->trap) {
	/* The engine's answers would be its host's: the model gives its own. */
	case EMU_TRAP_LOCK_UD:
	case EMU_TRAP_INTN:
	case EMU_TRAP_CPUID:
	case EMU_TRAP_HLT:
	case EMU_TRAP_IO:
	case EMU_TRAP_RDTSC:
	case EMU_TRAP_RDTSCP:
	case EMU_TRAP_INVLPG:
	/* Intercepted, or performed by the model: the engine's own debug
	 * registers would arm breakpoints the model does not follow. */
	case EMU_TRAP_MOV_DR:
		return true;
	case EMU_TRAP_RDMSR:
	case EMU_TRAP_WRMSR:
		return x->trap_wanted(cpu, in) ||
		       msr_needs_model(cpu, (uint32_t)emu_reg_get(cpu, UC_X86_REG_RCX));
	case EMU_TRAP_MOV_CR:
		if (in->cr == 8)
			return true;
		/* The engine writes CR2 when it raises a #PF, intercepted or not;
		 * the guest's own value is kept here. */
		if (in->cr == 2 && in->cr_write)
			cpu->guest_cr2 = emu_reg_get(cpu, emu_uc_gpr[in->gpr]);
		/* A write that changes the guest's mappings (run natively when not
		 * intercepted) may put other code at the addresses the engine's
		 * block cache knows. */
		if (in->cr_write && (in->cr == 3 || in->cr == 0 || in->cr == 4))
			emu_block_cache_flush(cpu);
		return x->trap_wanted(cpu, in);
	case EMU_TRAP_IRET:
		if (x->trap_wanted(cpu, in))
			return true;
		if (x->iret_unblocks(cpu)) {
			cpu->watch_iret_rip = in->addr;
			cpu->slow = true;
		}
		return false;
	case EMU_TRAP_STI:
		/* STI opens a shadow only when IF was clear (SDM vol. 2 "STI"). */
		if (!(emu_reg_get(cpu, UC_X86_REG_RFLAGS) & X86_RFLAGS_IF)) {
			cpu->watch_shadow = 2;
			cpu->shadow_mov_ss = false;
			cpu->slow = true;
		}
		return false;
	case EMU_TRAP_POPF:
		cpu->watch_popf = true;
		cpu->slow = true;
		return false;
	case EMU_TRAP_PAUSE:
		/* Other processors' spin-loops get to run. */
		return x->trap_wanted(cpu, in) || cpu->m->cfg.ncpus > 1;
	default:
		return x->trap_wanted(cpu, in);
	}
}

void emu_raise_simple(struct emu_cpu *cpu, uint8_t vec, bool has_err, uint32_t err)
{
	struct emu_pending_event ev = { .kind = EMU_EVT_EXCEPTION, .vector = vec,
					.has_error = has_err, .error = err };

	cpu->m->vext->raise(cpu, &ev);
}

/*
 * The model performed the instruction: move past it. With RFLAGS.TF set a
 * single-step #DB trap follows it, DR6.BS set (APM vol. 2 §13.1.4, SDM
 * vol. 3 §17.3.1.4) — the engine's own single-stepping covers only what it
 * runs itself. (HLT's trap would come when it wakes; the model does not
 * take it there.)
 */
void emu_advance(struct emu_cpu *cpu, const struct emu_insn *in)
{
	cpu->cycle += emu_costs_insn(cpu->m->costs, in->id);
	cpu->insns++;
	emu_reg_set(cpu, UC_X86_REG_RIP, cpu->stop_rip + in->len);
	if (in->trap != EMU_TRAP_HLT && (emu_reg_get(cpu, UC_X86_REG_RFLAGS) & X86_RFLAGS_TF)) {
		emu_cpustate_set_dr(cpu, 6, emu_cpustate_dr(cpu, 6) | (1ull << 14));
		emu_raise_simple(cpu, X86_VEC_DB, false, 0);
	}
}

/* INTO does nothing with RFLAGS.OF clear; true when that is the case. */
bool emu_emulate_into(struct emu_cpu *cpu, const struct emu_insn *in)
{
	if (in->soft_op != 0xce || (emu_reg_get(cpu, UC_X86_REG_RFLAGS) & X86_RFLAGS_OF))
		return false;
	emu_advance(cpu, in);
	return true;
}

/*
 * The 16-bit source of LMSW, or false when the model cannot read it (a
 * memory operand that faults: the processor raises the fault itself).
 */
bool emu_lmsw_source(struct emu_cpu *cpu, const struct emu_insn *in, uint16_t *v)
{
	uint64_t la;

	if (in->gpr >= 0) {
		*v = (uint16_t)emu_reg_get(cpu, emu_uc_gpr[in->gpr]);
		return true;
	}
	return emu_insn_linear(cpu, in, in->addr, &la) && emu_lin_peek(cpu, la, v, 2) == 2;
}

void emu_emulate_cpuid(struct emu_cpu *cpu, const struct emu_insn *in)
{
	struct arch_cpuid r;

	/* Code started by SIPI sees the processor as it is; a guest sees what
	 * the extension shows its guests. */
	emu_cpuid(cpu, (uint32_t)emu_reg_get(cpu, UC_X86_REG_RAX),
			    (uint32_t)emu_reg_get(cpu, UC_X86_REG_RCX), !cpu->bare, &r);
	emu_reg_set(cpu, UC_X86_REG_RAX, r.eax);
	emu_reg_set(cpu, UC_X86_REG_RBX, r.ebx);
	emu_reg_set(cpu, UC_X86_REG_RCX, r.ecx);
	emu_reg_set(cpu, UC_X86_REG_RDX, r.edx);
	emu_advance(cpu, in);
}

void emu_emulate_hlt(struct emu_cpu *cpu, const struct emu_insn *in)
{
	emu_advance(cpu, in);
	emu_guest_halt(cpu);
}

uint16_t emu_io_port(struct emu_cpu *cpu, const struct emu_insn *in)
{
	return in->port_dx ? (uint16_t)emu_reg_get(cpu, UC_X86_REG_RDX) : in->port;
}

void emu_emulate_io(struct emu_cpu *cpu, const struct emu_insn *in)
{
	uint16_t port = emu_io_port(cpu, in);

	if (in->io_string) {
		/* No device model yet: string I/O to nothing is not modelled. */
		emu_fatal(cpu, "string I/O to port %#x with the I/O intercept clear is not "
			  "modelled", port);
	}
	if (in->io_in) {
		uint64_t rax = emu_reg_get(cpu, UC_X86_REG_RAX);
		/* No device answers: the bus floats to all ones. */
		if (in->io_size == 4)
			rax = 0xffffffffull;
		else if (in->io_size == 2)
			rax |= 0xffff;
		else
			rax |= 0xff;
		emu_reg_set(cpu, UC_X86_REG_RAX, rax);
	}
	emu_advance(cpu, in);
}

static uint64_t edx_eax(struct emu_cpu *cpu)
{
	return (emu_reg_get(cpu, UC_X86_REG_RDX) << 32) |
	       (emu_reg_get(cpu, UC_X86_REG_RAX) & 0xffffffffull);
}

static void set_edx_eax(struct emu_cpu *cpu, uint64_t v)
{
	emu_reg_set(cpu, UC_X86_REG_RAX, v & 0xffffffffull);
	emu_reg_set(cpu, UC_X86_REG_RDX, v >> 32);
}

/*
 * RDMSR and WRMSR no intercept took, for every MSR but EFER (whose guest
 * value the extension shapes): the TSC with the guest's offset, a device's
 * register, or the MSR file; #GP where that refuses.
 */
void emu_emulate_msr(struct emu_cpu *cpu, const struct emu_insn *in, uint64_t tsc_offset)
{
	uint32_t msr = (uint32_t)emu_reg_get(cpu, UC_X86_REG_RCX);
	bool write = in->trap == EMU_TRAP_WRMSR;
	uint64_t v;

	if (msr == MSR_IA32_TSC && !write) {
		v = cpu->cycle + tsc_offset;
	} else if (write && emu_msr_device(cpu, msr)) {
		/* Not intercepted: the write reaches the processor's own device. */
		if (emu_msr_write(cpu, msr, edx_eax(cpu)) != ARCH_OK) {
			emu_raise_simple(cpu, X86_VEC_GP, true, 0);
			return;
		}
		emu_advance(cpu, in);
		return;
	} else if (write) {
		emu_fatal(cpu, "guest WRMSR %#x with the MSR intercept clear is not modelled", msr);
	} else if (emu_msr_read(cpu, msr, &v) != ARCH_OK) {
		emu_raise_simple(cpu, X86_VEC_GP, true, 0);
		return;
	}
	set_edx_eax(cpu, v);
	emu_advance(cpu, in);
}

/*
 * The faults of MOV to or from a debug register, which come before any
 * intercept of it (APM vol. 2 §13.1, §15.9.2; SDM vol. 3 §18.2.2): #UD for
 * DR4/DR5 with CR4.DE set (and any DR above 7), #GP above CPL 0. True when
 * one was raised.
 */
bool emu_mov_dr_faults(struct emu_cpu *cpu, const struct emu_insn *in)
{
	uint64_t cr4 = emu_reg_get(cpu, UC_X86_REG_CR4);
	int dr = in->dr;

	if (dr > 7 || ((dr == 4 || dr == 5) && (cr4 & X86_CR4_DE))) {
		emu_raise_simple(cpu, X86_VEC_UD, false, 0);
		return true;
	}
	if (emu_xlate_flags(cpu) & EMU_XL_USER) {
		emu_raise_simple(cpu, X86_VEC_GP, true, 0);
		return true;
	}
	return false;
}

/*
 * The access itself: DR4/DR5 alias DR6/DR7; in 64-bit mode a write of bits
 * 63:32 of DR6 or DR7 is #GP. Breakpoints are not modelled: a DR7 that
 * enables one ends the run with an error rather than run without it.
 */
void emu_emulate_mov_dr(struct emu_cpu *cpu, const struct emu_insn *in)
{
	int dr = in->dr;
	uint64_t v;

	if (dr == 4 || dr == 5)
		dr += 2;
	if (!in->cr_write) {
		v = emu_cpustate_dr(cpu, dr);
		emu_reg_set(cpu, emu_uc_gpr[in->gpr], cpu->mode == 64 ? v : v & 0xffffffffull);
		emu_advance(cpu, in);
		return;
	}
	v = emu_reg_get(cpu, emu_uc_gpr[in->gpr]);
	if (cpu->mode != 64)
		v &= 0xffffffffull;
	if (dr >= 6 && (v >> 32)) {
		emu_raise_simple(cpu, X86_VEC_GP, true, 0);
		return;
	}
	if (dr == 7 && (v & 0xff))
		emu_fatal(cpu, "guest MOV to DR7 of %#llx at %#llx enables a breakpoint: debug "
			  "breakpoints are not modelled", (unsigned long long)v,
			  (unsigned long long)cpu->stop_rip);
	/* Reserved bits read back fixed (APM vol. 2 §13.1.1.3, §13.1.1.4). */
	if (dr == 6)
		v = (v & 0x0000e00full) | 0xffff0ff0ull;
	else if (dr == 7)
		v = (v & 0xffff23ffull) | 0x400ull;
	emu_cpustate_set_dr(cpu, dr, v);
	emu_advance(cpu, in);
}

void emu_emulate_invlpg(struct emu_cpu *cpu, const struct emu_insn *in)
{
	/* The engine's TLB holds no tags, so all of it goes, which is more
	 * than INVLPG must drop and never less. */
	emu_engine_flush_tlb(cpu);
	emu_advance(cpu, in);
}

void emu_emulate_rdtsc(struct emu_cpu *cpu, const struct emu_insn *in, uint64_t tsc_offset)
{
	set_edx_eax(cpu, cpu->cycle + tsc_offset);
	if (in->trap == EMU_TRAP_RDTSCP)
		emu_reg_set(cpu, UC_X86_REG_RCX, cpu->tsc_aux & 0xffffffffull);
	emu_advance(cpu, in);
}

void emu_emulate_pause(struct emu_cpu *cpu, const struct emu_insn *in)
{
	emu_advance(cpu, in);
	emu_schedule_point(cpu);
}
