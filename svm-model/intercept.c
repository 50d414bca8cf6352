/* SPDX-License-Identifier: MIT */
/*
 * Instruction intercepts (APM vol. 2 §15.7-15.15): which trapped
 * instructions exit, with exit_info_1/2 as the APM defines for each exit
 * code; the ones that do not exit are the processor's to perform
 * (emu/src/emulate.c), but for what only SVM defines — EFER.SVME, the
 * virtual TPR, STGI and CLGI.
 */
#include <string.h>

#include <capstone/x86.h>

#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/msr.h"
#include "x86/svm.h"

static bool bitmap_bit(struct emu_cpu *cpu, uint64_t base, uint64_t bit)
{
	const uint8_t *p = emu_ram_ptr(cpu->m, (base & ~0xfffull) + bit / 8, 1);

	/* A map outside RAM reads as all ones: intercepted. */
	return !p || (*p >> (bit % 8)) & 1;
}

/* MSRPM: two bits per MSR in three 2 KiB ranges (APM §15.11). */
static bool msr_intercepted(struct emu_cpu *cpu, uint32_t msr, bool write)
{
	struct svm_cpu *s = svm_of(cpu);
	uint64_t off;

	if (!svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_MSR_PROT))
		return false;
	if (msr <= 0x1fff)
		off = 0;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		off = 0x800;
	else if (msr >= 0xc0010000u && msr <= 0xc0011fffu)
		off = 0x1000;
	else
		return true;
	return bitmap_bit(cpu, s->vmcb->control.msrpm_base_pa,
			  off * 8 + (uint64_t)(msr & 0x1fff) * 2 + (write ? 1 : 0));
}

static bool io_intercepted(struct emu_cpu *cpu, uint16_t port, unsigned size)
{
	struct svm_cpu *s = svm_of(cpu);

	if (!svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_IOIO_PROT))
		return false;
	for (unsigned i = 0; i < size; i++) {
		if (bitmap_bit(cpu, s->vmcb->control.iopm_base_pa, (uint64_t)port + i))
			return true;
	}
	return false;
}

/* MSRs only SVM can answer (APM §15.30; SEV's, AMD doc 56421). */
bool svm_model_owns_msr(uint32_t msr)
{
	return msr == MSR_VM_HSAVE_PA || msr == MSR_VM_CR || msr == MSR_AMD64_SEV_ES_GHCB ||
	       msr == MSR_AMD64_SEV;
}

/* Decode assists (§15.8.3) and LMSW: the linear address the instruction names. */
static uint64_t effective_address(struct emu_cpu *cpu, const struct emu_insn *in)
{
	uint64_t la = 0;

	emu_insn_linear(cpu, in, in->addr, &la);
	return la;
}

/* APM vol. 2 §15.9.1: LMSW loads PE, MP, EM and TS but cannot clear PE; the
 * selective CR0 write intercept ignores changes to TS and MP alone. */
static bool lmsw_selective(struct emu_cpu *cpu, uint16_t src)
{
	uint64_t cr0 = emu_reg_get(cpu, UC_X86_REG_CR0);
	uint64_t next = (cr0 & ~0xeull) | (src & 0xeu) | ((cr0 | src) & X86_CR0_PE);

	return ((next ^ cr0) & ~(X86_CR0_TS | X86_CR0_MP)) != 0;
}

/* Which trapped instructions exit, for the classes emu_trap_wanted leaves
 * to the extension; STGI is SVM's own, so always stopped before. */
bool svm_model_trap_wanted(struct emu_cpu *cpu, const struct emu_insn *in)
{
	struct svm_cpu *s = svm_of(cpu);

	switch (in->trap) {
	case EMU_TRAP_STGI:
		return true;
	case EMU_TRAP_RDMSR:
	case EMU_TRAP_WRMSR:
		return msr_intercepted(cpu, (uint32_t)emu_reg_get(cpu, UC_X86_REG_RCX),
				       in->trap == EMU_TRAP_WRMSR);
	case EMU_TRAP_MOV_CR:
		return svm_intercepted(s, VMCB_INTERCEPT_CR,
				       1u << (in->cr + (in->cr_write ? 16 : 0))) ||
		       (in->cr == 0 && in->cr_write &&
			svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_SELECTIVE_CR0));
	/* §15.9.1: SMSW reads CR0, CLTS and LMSW write it; the selective CR0
	 * write intercept sees LMSW but never CLTS, which changes only TS. */
	case EMU_TRAP_SMSW:
		return svm_intercepted(s, VMCB_INTERCEPT_CR, 1u << 0);
	case EMU_TRAP_CLTS:
		return svm_intercepted(s, VMCB_INTERCEPT_CR, 1u << 16);
	case EMU_TRAP_LMSW: {
		uint16_t src;

		if (svm_intercepted(s, VMCB_INTERCEPT_CR, 1u << 16))
			return true;
		return svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_SELECTIVE_CR0) &&
		       emu_lmsw_source(cpu, in, &src) && lmsw_selective(cpu, src);
	}
	case EMU_TRAP_IRET:
		return svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_IRET);
	case EMU_TRAP_PAUSE:
		return svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_PAUSE);
	default:
		return false;
	}
}

/* NMIs blocked until an IRET: by vNMI's V_NMI_BLOCKING, or by an NMI the
 * guest took without it (§15.21.4). */
bool svm_model_iret_unblocks(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);

	return (s->vnmi && (s->vmcb->control.int_ctl & V_NMI_BLOCKING_MASK)) ||
	       s->guest_nmi_blocked;
}

static uint64_t ioio_info(const struct emu_insn *in, uint16_t port)
{
	uint64_t info = (uint64_t)port << SVM_IOIO_PORT_SHIFT;

	if (in->io_in)
		info |= SVM_IOIO_TYPE_IN;
	if (in->io_string)
		info |= SVM_IOIO_STR;
	if (in->prefix_rep && in->io_string)
		info |= SVM_IOIO_REP;
	info |= in->io_size == 1 ? SVM_IOIO_SZ8 : in->io_size == 2 ? SVM_IOIO_SZ16 : SVM_IOIO_SZ32;
	info |= in->addr_size == 2 ? SVM_IOIO_A16 : in->addr_size == 4 ? SVM_IOIO_A32 : SVM_IOIO_A64;
	/* Segment for OUTS (DS unless overridden); INS always uses ES (0). */
	if (in->io_string && !in->io_in)
		info |= 3ull << SVM_IOIO_SEG_SHIFT;
	return info;
}

static void do_io(struct emu_cpu *cpu, const struct emu_insn *in)
{
	uint16_t port = emu_io_port(cpu, in);

	if (io_intercepted(cpu, port, in->io_size)) {
		/* exit_info_2 holds the rIP of the next instruction (§15.10.2). */
		svm_vmexit_insn(cpu, SVM_EXIT_IOIO, ioio_info(in, port), cpu->stop_rip + in->len,
				in->len);
		return;
	}
	emu_emulate_io(cpu, in);
}

static void do_msr(struct emu_cpu *cpu, const struct emu_insn *in, bool write)
{
	uint32_t msr = (uint32_t)emu_reg_get(cpu, UC_X86_REG_RCX);
	struct emu_regs r;
	uint64_t v;

	if (msr_intercepted(cpu, msr, write)) {
		svm_vmexit_insn(cpu, SVM_EXIT_MSR, write ? 1 : 0, 0, in->len);
		return;
	}
	if (msr != MSR_EFER) {
		emu_emulate_msr(cpu, in, svm_of(cpu)->vmcb->control.tsc_offset);
		return;
	}
	emu_cpustate_store(cpu, &r);
	if (!write) {
		/* The engine never holds SVME; the guest's EFER has it (§15.5.1),
		 * and code started by SIPI has what it wrote. */
		v = r.efer | (cpu->bare ? cpu->efer & X86_EFER_SVME : X86_EFER_SVME);
		emu_reg_set(cpu, UC_X86_REG_RAX, v & 0xffffffffull);
		emu_reg_set(cpu, UC_X86_REG_RDX, v >> 32);
		emu_advance(cpu, in);
		return;
	}
	v = (emu_reg_get(cpu, UC_X86_REG_RDX) << 32) |
	    (emu_reg_get(cpu, UC_X86_REG_RAX) & 0xffffffffull);
	/*
	 * APM vol. 2 §3.1.7: reserved bits #GP, and LME may not change while
	 * paging is on; LMA is read-only.
	 */
	if ((v & ~(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE | X86_EFER_SVME |
		   X86_EFER_LMSLE | X86_EFER_FFXSR | X86_EFER_TCE)) ||
	    ((r.cr0 & X86_CR0_PG) && ((v ^ r.efer) & X86_EFER_LME))) {
		emu_raise_simple(cpu, X86_VEC_GP, true, 0);
		return;
	}
	r.efer = (v & ~X86_EFER_LMA) | (r.efer & X86_EFER_LMA);
	if (cpu->bare)
		cpu->efer = (cpu->efer & ~X86_EFER_SVME) | (v & X86_EFER_SVME);
	/* NXE changes what the page tables mean. */
	emu_engine_sync_tlb(cpu, &r, svm_of(cpu)->vmcb->control.asid,
			    svm_of(cpu)->npt ? svm_of(cpu)->ncr3 : 0, false);
	emu_cpustate_load(cpu, &r);
	emu_advance(cpu, in);
}

static void do_mov_cr(struct emu_cpu *cpu, const struct emu_insn *in)
{
	struct svm_cpu *s = svm_of(cpu);
	uint32_t bit = 1u << (in->cr + (in->cr_write ? 16 : 0));
	/* Decode assists: MOV CRx reports the GPR in exit_info_1 (§15.8.1);
	 * without them it is 0. */
	uint64_t info1 = s->has_decode ? SVM_CRX_MOV | (uint64_t)in->gpr : 0;

	if (svm_intercepted(s, VMCB_INTERCEPT_CR, bit)) {
		svm_vmexit_insn(cpu, (in->cr_write ? SVM_EXIT_WRITE_CR0 : SVM_EXIT_READ_CR0) + in->cr,
				info1, 0, in->len);
		return;
	}
	if (in->cr == 0 && in->cr_write &&
	    svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_SELECTIVE_CR0)) {
		uint64_t newv = emu_reg_get(cpu, emu_uc_gpr[in->gpr]);
		uint64_t oldv = emu_reg_get(cpu, UC_X86_REG_CR0);

		/* Only TS and MP may change without the selective intercept firing. */
		if ((newv ^ oldv) & ~(X86_CR0_TS | X86_CR0_MP)) {
			svm_vmexit_insn(cpu, SVM_EXIT_CR0_SEL_WRITE, info1, 0, in->len);
			return;
		}
		/* Trapped, so the model performs the write: no paging bit changes. */
		{
			struct emu_regs r;

			emu_cpustate_store(cpu, &r);
			r.cr0 = newv;
			emu_cpustate_load(cpu, &r);
		}
		emu_advance(cpu, in);
		return;
	}
	if (in->cr == 8) {
		/* With V_INTR_MASKING, CR8 is the virtual TPR (§15.21.1). */
		struct vmcb_control_area *c = &s->vmcb->control;
		uint8_t *tpr = (c->int_ctl & V_INTR_MASKING_MASK) ? NULL : &s->tpr;

		if (in->cr_write) {
			uint64_t v = emu_reg_get(cpu, emu_uc_gpr[in->gpr]);

			if (v >> 4) {
				emu_raise_simple(cpu, X86_VEC_GP, true, 0);
				return;
			}
			if (tpr)
				*tpr = (uint8_t)v;
			else
				c->int_ctl = (c->int_ctl & ~V_TPR_MASK) | (uint32_t)v;
		} else {
			emu_reg_set(cpu, emu_uc_gpr[in->gpr], tpr ? *tpr : (c->int_ctl & V_TPR_MASK));
		}
		emu_advance(cpu, in);
		return;
	}
	emu_fatal(cpu, "MOV CR%d trapped without an intercept", in->cr);
}

/* MOV DRn: its faults first, then the intercept (§15.9.2). */
static void do_mov_dr(struct emu_cpu *cpu, const struct emu_insn *in)
{
	struct svm_cpu *s = svm_of(cpu);

	if (emu_mov_dr_faults(cpu, in))
		return;
	if (svm_intercepted(s, VMCB_INTERCEPT_DR, 1u << (in->dr + (in->cr_write ? 16 : 0)))) {
		/* Decode assists: the GPR number alone; MOV is the only DR access. */
		svm_vmexit_insn(cpu, (in->cr_write ? SVM_EXIT_WRITE_DR0 : SVM_EXIT_READ_DR0) + in->dr,
				s->has_decode ? (uint64_t)in->gpr : 0, 0, in->len);
		return;
	}
	emu_emulate_mov_dr(cpu, in);
}

/*
 * An SVM instruction in code started by SIPI: #UD while EFER.SVME is clear
 * (the caller raises it); with SVME set it would run host code in the
 * engine, which the model does not do.
 */
static void bare_svm_insn(struct emu_cpu *cpu)
{
	if (cpu->efer & X86_EFER_SVME)
		emu_fatal(cpu, "SVM instruction at %#llx in code started by SIPI with EFER.SVME "
			  "set: the model runs SVM host code only as the hypervisor's native code",
			  (unsigned long long)cpu->stop_rip);
}

void svm_handle_trap(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);
	struct emu_insn in;

	if (emu_decode_insn(cpu, emu_linear(cpu, cpu->stop_rip), &in) != 0)
		emu_fatal(cpu, "cannot decode the trapped instruction at %#llx",
			  (unsigned long long)cpu->stop_rip);
	switch (in.trap) {
	case EMU_TRAP_LOCK_UD:
		/* #UD comes before any intercept of the instruction (APM vol. 3 §1.2.5). */
		emu_raise_simple(cpu, X86_VEC_UD, false, 0);
		return;
	case EMU_TRAP_INTN:
		if (emu_emulate_into(cpu, &in))
			return;
		svm_software_event(cpu, in.soft_op, in.intn, in.len);
		return;
	case EMU_TRAP_CPUID:
		if (svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_CPUID)) {
			svm_vmexit_insn(cpu, SVM_EXIT_CPUID, 0, 0, in.len);
			return;
		}
		emu_emulate_cpuid(cpu, &in);
		return;
	case EMU_TRAP_HLT:
		if (svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_HLT)) {
			svm_vmexit_insn(cpu, SVM_EXIT_HLT, 0, 0, in.len);
			return;
		}
		emu_emulate_hlt(cpu, &in);
		return;
	case EMU_TRAP_IO:
		do_io(cpu, &in);
		return;
	case EMU_TRAP_RDMSR:
	case EMU_TRAP_WRMSR:
		do_msr(cpu, &in, in.trap == EMU_TRAP_WRMSR);
		return;
	case EMU_TRAP_MOV_CR:
		do_mov_cr(cpu, &in);
		return;
	case EMU_TRAP_SMSW:
		/* Not a MOV: EXITINFO1 bit 63 clear, no GPR (§15.8.1). */
		svm_vmexit_insn(cpu, SVM_EXIT_READ_CR0, 0, 0, in.len);
		return;
	case EMU_TRAP_CLTS:
	case EMU_TRAP_LMSW:
		svm_vmexit_insn(cpu, svm_intercepted(s, VMCB_INTERCEPT_CR, 1u << 16) ?
					     SVM_EXIT_WRITE_CR0 : SVM_EXIT_CR0_SEL_WRITE,
				0, 0, in.len);
		return;
	case EMU_TRAP_MOV_DR:
		do_mov_dr(cpu, &in);
		return;
	case EMU_TRAP_INVLPG:
		if (svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_INVLPG)) {
			/* Decode assists: the linear address in exit_info_1 (§15.8.3). */
			svm_vmexit_insn(cpu, SVM_EXIT_INVLPG,
					s->has_decode ? effective_address(cpu, &in) : 0, 0, in.len);
			return;
		}
		emu_emulate_invlpg(cpu, &in);
		return;
	case EMU_TRAP_IRET:
		/* The IRET intercept fires before the IRET executes (§15.9). */
		svm_vmexit_insn(cpu, SVM_EXIT_IRET, 0, 0, in.len);
		return;
	case EMU_TRAP_STGI:
		if (svm_intercepted(s, VMCB_INTERCEPT_MISC2, INTERCEPT_STGI)) {
			svm_vmexit_insn(cpu, SVM_EXIT_STGI, 0, 0, in.len);
			return;
		}
		if (cpu->bare) {
			bare_svm_insn(cpu);
			emu_raise_simple(cpu, X86_VEC_UD, false, 0);
			return;
		}
		/* A guest's EFER.SVME is set (VMRUN checks it): without VGIF, which
		 * the model does not offer, STGI sets the processor's GIF (APM vol. 3
		 * "STGI"); what it held is taken at the next boundary. */
		svm_of(cpu)->gif = true;
		emu_advance(cpu, &in);
		return;
	case EMU_TRAP_RDTSC:
	case EMU_TRAP_RDTSCP: {
		bool p = in.trap == EMU_TRAP_RDTSCP;

		if (svm_intercepted(s, p ? VMCB_INTERCEPT_MISC2 : VMCB_INTERCEPT_MISC1,
				    p ? INTERCEPT_RDTSCP : INTERCEPT_RDTSC)) {
			svm_vmexit_insn(cpu, p ? SVM_EXIT_RDTSCP : SVM_EXIT_RDTSC, 0, 0, in.len);
			return;
		}
		emu_emulate_rdtsc(cpu, &in, s->vmcb->control.tsc_offset);
		return;
	}
	case EMU_TRAP_PAUSE:
		if (svm_intercepted(s, VMCB_INTERCEPT_MISC1, INTERCEPT_PAUSE)) {
			svm_vmexit_insn(cpu, SVM_EXIT_PAUSE, 0, 0, in.len);
			return;
		}
		emu_emulate_pause(cpu, &in);
		return;
	default:
		emu_fatal(cpu, "unexpected trap class %d at %#llx", (int)in.trap,
			  (unsigned long long)in.addr);
	}
}

/* #UD from the engine: the SVM instructions, or a real #UD. */
void svm_handle_invalid(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);
	struct emu_insn in;
	uint64_t code = 0;
	uint32_t word = VMCB_INTERCEPT_MISC2, bit = 0;

	if (emu_decode_insn(cpu, emu_linear(cpu, cpu->stop_rip), &in) == 0 && in.len >= 3) {
		const uint8_t *b = in.bytes;
		size_t i = 0;

		while (i < in.len && (b[i] == 0xf3 || b[i] == 0x66 || b[i] == 0x67 ||
				      b[i] == 0xf2 || (b[i] >= 0x40 && b[i] <= 0x4f)))
			i++;
		if (i + 2 < (size_t)in.len + 1 && b[i] == 0x0f && b[i + 1] == 0x01) {
			switch (b[i + 2]) {
			case 0xd8: code = SVM_EXIT_VMRUN; bit = INTERCEPT_VMRUN; break;
			/* VMGEXIT (F3 VMMCALL) outside an SEV-ES guest acts as VMMCALL. */
			case 0xd9: code = SVM_EXIT_VMMCALL; bit = INTERCEPT_VMMCALL; break;
			case 0xda: code = SVM_EXIT_VMLOAD; bit = INTERCEPT_VMLOAD; break;
			case 0xdb: code = SVM_EXIT_VMSAVE; bit = INTERCEPT_VMSAVE; break;
			case 0xdd: code = SVM_EXIT_CLGI; bit = INTERCEPT_CLGI; break;
			case 0xde: code = SVM_EXIT_SKINIT; bit = INTERCEPT_SKINIT; break;
			case 0xdf: code = SVM_EXIT_INVLPGA; word = VMCB_INTERCEPT_MISC1;
				bit = INTERCEPT_INVLPGA; break;
			default: break;
			}
		}
	}
	if (bit && svm_intercepted(s, word, bit)) {
		svm_vmexit_insn(cpu, code, 0, 0, in.len);
		return;
	}
	/* Likewise CLGI clears it, holding interrupts, NMI and INIT (§15.17). */
	if (code == SVM_EXIT_CLGI && !cpu->bare) {
		emu_cpustate_clear_exception(cpu);
		svm_of(cpu)->gif = false;
		emu_advance(cpu, &in);
		return;
	}
	/* VMMCALL is #UD outside a guest that intercepts it, SVME or not. */
	if (code && code != SVM_EXIT_VMMCALL && cpu->bare)
		bare_svm_insn(cpu);
	/* Not intercepted (nested SVM is not modelled) or not an SVM instruction. */
	emu_cpustate_clear_exception(cpu);
	emu_raise_simple(cpu, X86_VEC_UD, false, 0);
}
