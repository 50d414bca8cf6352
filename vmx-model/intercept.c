/* SPDX-License-Identifier: MIT */
/*
 * Instructions in VMX non-root operation (SDM vol. 3C §26.1): those that
 * exit unconditionally, those the VM-execution controls make exit, each
 * with its exit qualification (§28.2.1), and the rest performed by the
 * processor (emu/src/emulate.c) but for what VMX changes: CR0/CR4 reads
 * through the guest/host masks and read shadows (§26.3), CR8 without a TPR
 * shadow, and the TSC offset.
 */
#include <capstone/x86.h>

#include "vmx-model/vmx_model.h"
#include "x86/cpu.h"
#include "x86/msr.h"

static const struct vmx_controls *ctl(struct emu_cpu *cpu)
{
	return &vmx_of(cpu)->vmcs->ctl;
}

static bool cpu_based(struct emu_cpu *cpu, uint32_t bit)
{
	return !cpu->bare && (ctl(cpu)->cpu_based & bit);
}

static bool bitmap_bit(struct emu_cpu *cpu, uint64_t base, uint64_t bit)
{
	const uint8_t *p = emu_ram_ptr(cpu->m, base + bit / 8, 1);

	/* A bitmap outside RAM reads as all ones: the access exits. */
	return !p || (*p >> (bit % 8)) & 1;
}

/* The MSR bitmaps (§25.6.9): read low, read high, write low, write high,
 * 1 KiB each; an MSR outside both ranges always exits. */
static bool msr_exits(struct emu_cpu *cpu, uint32_t msr, bool write)
{
	uint64_t off;

	if (cpu->bare)
		return false;
	if (!cpu_based(cpu, CPU_BASED_USE_MSR_BITMAPS))
		return true;
	if (msr <= 0x1fff)
		off = 0;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		off = 0x400;
	else
		return true;
	if (write)
		off += 0x800;
	return bitmap_bit(cpu, ctl(cpu)->msr_bitmap, off * 8 + (msr & 0x1fff));
}

/* Unconditional I/O exiting, or the I/O bitmaps, which take precedence
 * (§26.1.3); an access that wraps past port FFFFh exits. */
static bool io_exits(struct emu_cpu *cpu, uint16_t port, unsigned size)
{
	if (cpu->bare)
		return false;
	if (!cpu_based(cpu, CPU_BASED_USE_IO_BITMAPS))
		return cpu_based(cpu, CPU_BASED_UNCONDITIONAL_IO_EXITING);
	for (unsigned i = 0; i < size; i++) {
		uint32_t p = (uint32_t)port + i;

		if (p > 0xffff)
			return true;
		if (bitmap_bit(cpu, p < 0x8000 ? ctl(cpu)->io_bitmap_a : ctl(cpu)->io_bitmap_b,
			       p & 0x7fff))
			return true;
	}
	return false;
}

/* MOV to CR0/CR4 exits when a bit the host owns would differ from its
 * read shadow (§26.1.3). */
static bool cr_write_exits(struct emu_cpu *cpu, int cr, uint64_t value)
{
	const struct vmx_controls *c;

	/* Code a start-up IPI started has no VMCS. */
	if (cpu->bare)
		return false;
	c = ctl(cpu);
	switch (cr) {
	case 0:
		return ((value ^ c->cr0_read_shadow) & c->cr0_guest_host_mask) != 0;
	case 3:
		if (!cpu_based(cpu, CPU_BASED_CR3_LOAD_EXITING))
			return false;
		for (uint32_t i = 0; i < c->cr3_target_count && i < 4; i++)
			if (c->cr3_target_value[i] == value)
				return false;
		return true;
	case 4:
		return ((value ^ c->cr4_read_shadow) & c->cr4_guest_host_mask) != 0;
	case 8:
		return cpu_based(cpu, CPU_BASED_CR8_LOAD_EXITING);
	default:
		return false;
	}
}

static bool cr_read_exits(struct emu_cpu *cpu, int cr)
{
	return (cr == 3 && cpu_based(cpu, CPU_BASED_CR3_STORE_EXITING)) ||
	       (cr == 8 && cpu_based(cpu, CPU_BASED_CR8_STORE_EXITING));
}

/* LMSW exits when it would set CR0.PE the host owns and shadows clear, or
 * change MP, EM or TS the host owns from their shadow (§26.1.3). */
static bool lmsw_exits(struct emu_cpu *cpu, uint16_t src)
{
	const struct vmx_controls *c;
	uint64_t mask, shadow;

	if (cpu->bare)
		return false;
	c = ctl(cpu);
	mask = c->cr0_guest_host_mask;
	shadow = c->cr0_read_shadow;
	if ((mask & X86_CR0_PE) && !(shadow & X86_CR0_PE) && (src & X86_CR0_PE))
		return true;
	return ((src ^ shadow) & mask & (X86_CR0_MP | X86_CR0_EM | X86_CR0_TS)) != 0;
}

bool vmx_model_trap_wanted(struct emu_cpu *cpu, const struct emu_insn *in)
{
	switch (in->trap) {
	case EMU_TRAP_RDMSR:
	case EMU_TRAP_WRMSR:
		return msr_exits(cpu, (uint32_t)emu_reg_get(cpu, UC_X86_REG_RCX),
				 in->trap == EMU_TRAP_WRMSR);
	case EMU_TRAP_MOV_CR:
		/* CR0 and CR4 reads go through the masks and shadows, and CR4 holds
		 * VMXE the engine does not: the processor performs every one. */
		if (!in->cr_write)
			return in->cr == 0 || in->cr == 4 || cr_read_exits(cpu, in->cr);
		/* CR0 and CR4 writes keep the bits the host owns: the processor
		 * performs every one in VMX non-root operation. */
		return in->cr == 4 || (in->cr == 0 && !cpu->bare) ||
		       cr_write_exits(cpu, in->cr, emu_reg_get(cpu, emu_uc_gpr[in->gpr]));
	case EMU_TRAP_SMSW:
		return !cpu->bare && (ctl(cpu)->cr0_guest_host_mask & 0xffff);
	case EMU_TRAP_CLTS:
		return !cpu->bare && (ctl(cpu)->cr0_guest_host_mask & X86_CR0_TS) &&
		       (ctl(cpu)->cr0_read_shadow & X86_CR0_TS);
	case EMU_TRAP_LMSW: {
		uint16_t src;

		return !cpu->bare && emu_lmsw_source(cpu, in, &src) && lmsw_exits(cpu, src);
	}
	case EMU_TRAP_PAUSE:
		return cpu_based(cpu, CPU_BASED_PAUSE_EXITING);
	default:
		return false;
	}
}

/* Exit qualification for a control-register access (table 28-3). */
static uint64_t cr_qual(int cr, unsigned type, int gpr)
{
	return (uint64_t)cr | ((uint64_t)type << EXIT_QUAL_CR_ACCESS_TYPE_SHIFT) |
	       ((uint64_t)(gpr < 0 ? 0 : gpr) << EXIT_QUAL_CR_GPR_SHIFT);
}

/* The value software reads from CR0 or CR4: the host's bits from the read
 * shadow (§26.3). */
static uint64_t cr_read_value(struct emu_cpu *cpu, int cr)
{
	struct vmx_cpu *v = vmx_of(cpu);
	uint64_t val = emu_reg_get(cpu, cr == 0 ? UC_X86_REG_CR0 : UC_X86_REG_CR4);
	uint64_t mask, shadow;

	if (cr == 4)
		val |= v->guest_cr4_vmxe;
	if (cpu->bare)
		return val;
	mask = cr == 0 ? ctl(cpu)->cr0_guest_host_mask : ctl(cpu)->cr4_guest_host_mask;
	shadow = cr == 0 ? ctl(cpu)->cr0_read_shadow : ctl(cpu)->cr4_read_shadow;
	return (val & ~mask) | (shadow & mask);
}

/*
 * MOV to CR0 or CR4 that no control made exit: bits set in the guest/host
 * mask keep their value, and an attempt to give any other bit a value VMX
 * operation does not support (IA32_VMX_CR0/CR4_FIXED0/1; unrestricted
 * guest frees CR0.PE and PG) is #GP (§26.3 "MOV to CR0", "MOV to CR4";
 * §24.8). Code a start-up IPI started runs outside VMX operation, where
 * no bit is held.
 */
static bool fixed_ok(uint64_t value, uint64_t fixed0, uint64_t fixed1, uint64_t mask)
{
	return !(((~value & fixed0) | (value & ~fixed1)) & ~mask);
}

static bool write_cr4(struct emu_cpu *cpu, struct emu_regs *r, uint64_t val)
{
	struct vmx_cpu *v = vmx_of(cpu);
	uint64_t mask = cpu->bare ? 0 : ctl(cpu)->cr4_guest_host_mask;
	uint64_t old = r->cr4 | v->guest_cr4_vmxe;
	uint64_t value = (val & ~mask) | (old & mask);

	if (!cpu->bare && !fixed_ok(value, v->caps.cr4_fixed0, v->caps.cr4_fixed1, mask)) {
		emu_raise_simple(cpu, X86_VEC_GP, true, 0);
		return false;
	}
	v->guest_cr4_vmxe = value & X86_CR4_VMXE;
	r->cr4 = value & ~X86_CR4_VMXE;
	return true;
}

/*
 * The architectural checks of MOV to CR0 and entering or leaving IA-32e
 * mode with CR0.PG (SDM vol. 3A §2.5, §9.8.5), which the engine performs
 * itself for a write it is not asked to trap.
 */
static bool write_cr0(struct emu_cpu *cpu, struct emu_regs *r, uint64_t val)
{
	struct vmx_cpu *v = vmx_of(cpu);
	uint64_t mask = ctl(cpu)->cr0_guest_host_mask, fixed0 = v->caps.cr0_fixed0;
	uint64_t value = (val & ~mask) | (r->cr0 & mask);
	bool paging_on = !(r->cr0 & X86_CR0_PG) && (value & X86_CR0_PG);

	if ((ctl(cpu)->cpu_based & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	    (ctl(cpu)->secondary & SECONDARY_EXEC_UNRESTRICTED_GUEST))
		fixed0 &= ~(X86_CR0_PE | X86_CR0_PG);
	if ((value >> 32) || ((value & X86_CR0_PG) && !(value & X86_CR0_PE)) ||
	    ((value & X86_CR0_NW) && !(value & X86_CR0_CD)) ||
	    !fixed_ok(value, fixed0, v->caps.cr0_fixed1, mask) ||
	    (paging_on && (r->efer & X86_EFER_LME) && !(r->cr4 & X86_CR4_PAE))) {
		emu_raise_simple(cpu, X86_VEC_GP, true, 0);
		return false;
	}
	if (paging_on && (r->efer & X86_EFER_LME))
		r->efer |= X86_EFER_LMA;
	if (!(value & X86_CR0_PG))
		r->efer &= ~X86_EFER_LMA;
	r->cr0 = value;
	return true;
}

static void do_mov_cr(struct emu_cpu *cpu, const struct emu_insn *in)
{
	uint64_t val;

	if (!in->cr_write) {
		if (cr_read_exits(cpu, in->cr)) {
			vmx_vmexit(cpu, VMX_EXIT_CR_ACCESS, cr_qual(in->cr, CR_ACCESS_MOV_FROM_CR,
								   in->gpr), in->len);
			return;
		}
		if (in->cr == 8)
			val = 0;
		else
			val = cr_read_value(cpu, in->cr);
		emu_reg_set(cpu, emu_uc_gpr[in->gpr], val);
		emu_advance(cpu, in);
		return;
	}
	val = emu_reg_get(cpu, emu_uc_gpr[in->gpr]);
	if (cr_write_exits(cpu, in->cr, val)) {
		vmx_vmexit(cpu, VMX_EXIT_CR_ACCESS, cr_qual(in->cr, CR_ACCESS_MOV_TO_CR, in->gpr),
			   in->len);
		return;
	}
	if (in->cr == 8) {
		if (val >> 4) {
			emu_raise_simple(cpu, X86_VEC_GP, true, 0);
			return;
		}
		emu_advance(cpu, in);
		return;
	}
	{
		struct emu_regs r;

		emu_cpustate_store(cpu, &r);
		if ((in->cr == 0 && !write_cr0(cpu, &r, val)) || (in->cr == 4 && !write_cr4(cpu, &r, val)))
			return;
		if (in->cr == 3)
			r.cr3 = val;
		emu_engine_sync_tlb(cpu, &r, 0, 0, true);
		emu_cpustate_load(cpu, &r);
		emu_advance(cpu, in);
	}
}

static void do_lmsw_clts_smsw(struct emu_cpu *cpu, const struct emu_insn *in)
{
	uint16_t src = 0;

	switch (in->trap) {
	case EMU_TRAP_CLTS:
		vmx_vmexit(cpu, VMX_EXIT_CR_ACCESS, cr_qual(0, CR_ACCESS_CLTS, 0), in->len);
		return;
	case EMU_TRAP_LMSW:
		(void)emu_lmsw_source(cpu, in, &src);
		vmx_vmexit(cpu, VMX_EXIT_CR_ACCESS,
			   cr_qual(0, CR_ACCESS_LMSW, 0) |
				   (in->gpr < 0 ? EXIT_QUAL_CR_LMSW_MEMORY : 0) |
				   ((uint64_t)src << EXIT_QUAL_CR_LMSW_DATA_SHIFT),
			   in->len);
		return;
	default: {
		/* SMSW: the low 16 bits of CR0 as the guest reads it. */
		uint64_t cr0 = cr_read_value(cpu, 0);

		if (in->gpr >= 0) {
			emu_reg_set(cpu, emu_uc_gpr[in->gpr], cr0 & 0xffff);
		} else {
			uint64_t la;
			uint16_t w = (uint16_t)cr0;
			struct emu_xlate x;

			if (!emu_insn_linear(cpu, in, in->addr, &la) ||
			    emu_lin_write(cpu, la, &w, 2, emu_xlate_flags(cpu), &x) != 0) {
				emu_raise_simple(cpu, X86_VEC_GP, true, 0);
				return;
			}
		}
		emu_advance(cpu, in);
		return;
	}
	}
}

/* Exit qualification for I/O (table 28-5). */
static uint64_t io_qual(const struct emu_insn *in, uint16_t port)
{
	return (uint64_t)(in->io_size - 1) | (in->io_in ? EXIT_QUAL_IO_IN : 0) |
	       (in->io_string ? EXIT_QUAL_IO_STRING : 0) |
	       (in->prefix_rep && in->io_string ? EXIT_QUAL_IO_REP : 0) |
	       (in->port_dx ? 0 : EXIT_QUAL_IO_IMMEDIATE) |
	       ((uint64_t)port << EXIT_QUAL_IO_PORT_SHIFT);
}

/*
 * INS and OUTS report the linear address of their memory operand and, as
 * IA32_VMX_BASIC bit 54 advertises, its address size and segment in the
 * VM-exit instruction information (§28.2.1, §28.2.5, table 28-8): ES:rDI
 * for INS, DS:rSI or the override for OUTS.
 */
static void string_io_info(struct emu_cpu *cpu, const struct emu_insn *in)
{
	struct vmx_exit_info *x = &vmx_of(cpu)->vmcs->exit;
	static const uint8_t overrides[6] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };
	unsigned seg = in->io_in ? 0 : 3;
	uint64_t off, mask;
	struct emu_regs r;

	for (unsigned i = 0; !in->io_in && i < in->len; i++)
		for (unsigned k = 0; k < 6; k++)
			if (in->bytes[i] == overrides[k])
				seg = k;
	emu_cpustate_store(cpu, &r);
	mask = in->addr_size == 8 ? ~0ull : in->addr_size == 4 ? 0xffffffffull : 0xffffull;
	off = r.gpr[in->io_in ? X86_RDI : X86_RSI] & mask;
	{
		const struct x86_seg *segs[6] = { &r.es, &r.cs, &r.ss, &r.ds, &r.fs, &r.gs };

		/* In 64-bit mode only FS and GS have a base (SDM vol. 3 §3.4.4). */
		x->guest_linear_address = off + (cpu->mode == 64 && seg < 4 ? 0 : segs[seg]->base);
	}
	x->vmx_instruction_info = ((in->addr_size == 2 ? 0u : in->addr_size == 4 ? 1u : 2u) << 7) |
				  (seg << 15);
}

static uint64_t tsc_offset(struct emu_cpu *cpu)
{
	return cpu_based(cpu, CPU_BASED_USE_TSC_OFFSETTING) ? ctl(cpu)->tsc_offset : 0;
}

/* Guest EFER (an MSR the bitmaps let through): the architectural rules of
 * SDM vol. 4 / APM vol. 2 §3.1.7; LMA is read-only. */
static void do_efer(struct emu_cpu *cpu, const struct emu_insn *in)
{
	struct emu_regs r;
	uint64_t v;

	emu_cpustate_store(cpu, &r);
	if (in->trap == EMU_TRAP_RDMSR) {
		emu_reg_set(cpu, UC_X86_REG_RAX, r.efer & 0xffffffffull);
		emu_reg_set(cpu, UC_X86_REG_RDX, r.efer >> 32);
		emu_advance(cpu, in);
		return;
	}
	v = (emu_reg_get(cpu, UC_X86_REG_RDX) << 32) |
	    (emu_reg_get(cpu, UC_X86_REG_RAX) & 0xffffffffull);
	if ((v & ~(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE)) ||
	    ((r.cr0 & X86_CR0_PG) && ((v ^ r.efer) & X86_EFER_LME))) {
		emu_raise_simple(cpu, X86_VEC_GP, true, 0);
		return;
	}
	r.efer = (v & ~X86_EFER_LMA) | (r.efer & X86_EFER_LMA);
	emu_engine_sync_tlb(cpu, &r, 0, 0, true);
	emu_cpustate_load(cpu, &r);
	emu_advance(cpu, in);
}

void vmx_handle_trap(struct emu_cpu *cpu)
{
	struct emu_insn in;

	if (emu_decode_insn(cpu, emu_linear(cpu, cpu->stop_rip), &in) != 0)
		emu_fatal(cpu, "cannot decode the trapped instruction at %#llx",
			  (unsigned long long)cpu->stop_rip);
	switch (in.trap) {
	case EMU_TRAP_LOCK_UD:
		emu_raise_simple(cpu, X86_VEC_UD, false, 0);
		return;
	case EMU_TRAP_INTN:
		if (emu_emulate_into(cpu, &in))
			return;
		vmx_software_event(cpu, in.soft_op, in.intn, in.len);
		return;
	case EMU_TRAP_CPUID:
		/* CPUID exits unconditionally (§26.1.2). */
		if (!cpu->bare) {
			vmx_vmexit(cpu, VMX_EXIT_CPUID, 0, in.len);
			return;
		}
		emu_emulate_cpuid(cpu, &in);
		return;
	case EMU_TRAP_HLT:
		if (cpu_based(cpu, CPU_BASED_HLT_EXITING)) {
			vmx_vmexit(cpu, VMX_EXIT_HLT, 0, in.len);
			return;
		}
		if (!cpu->bare)
			vmx_of(cpu)->activity = GUEST_ACTIVITY_HLT;
		emu_emulate_hlt(cpu, &in);
		return;
	case EMU_TRAP_IO: {
		uint16_t port = emu_io_port(cpu, &in);

		if (io_exits(cpu, port, in.io_size)) {
			if (in.io_string)
				string_io_info(cpu, &in);
			vmx_vmexit(cpu, VMX_EXIT_IO_INSTRUCTION, io_qual(&in, port), in.len);
			return;
		}
		emu_emulate_io(cpu, &in);
		return;
	}
	case EMU_TRAP_RDMSR:
	case EMU_TRAP_WRMSR: {
		uint32_t msr = (uint32_t)emu_reg_get(cpu, UC_X86_REG_RCX);
		bool write = in.trap == EMU_TRAP_WRMSR;

		if (msr_exits(cpu, msr, write)) {
			vmx_vmexit(cpu, write ? VMX_EXIT_WRMSR : VMX_EXIT_RDMSR, 0, in.len);
			return;
		}
		if (msr == MSR_EFER) {
			do_efer(cpu, &in);
			return;
		}
		emu_emulate_msr(cpu, &in, tsc_offset(cpu));
		return;
	}
	case EMU_TRAP_MOV_CR:
		do_mov_cr(cpu, &in);
		return;
	case EMU_TRAP_SMSW:
	case EMU_TRAP_CLTS:
	case EMU_TRAP_LMSW:
		do_lmsw_clts_smsw(cpu, &in);
		return;
	case EMU_TRAP_MOV_DR:
		if (emu_mov_dr_faults(cpu, &in))
			return;
		if (cpu_based(cpu, CPU_BASED_MOV_DR_EXITING)) {
			vmx_vmexit(cpu, VMX_EXIT_DR_ACCESS,
				   (uint64_t)in.dr | (in.cr_write ? 0 : EXIT_QUAL_DR_FROM_DR) |
					   ((uint64_t)in.gpr << EXIT_QUAL_DR_GPR_SHIFT),
				   in.len);
			return;
		}
		emu_emulate_mov_dr(cpu, &in);
		return;
	case EMU_TRAP_INVLPG:
		if (cpu_based(cpu, CPU_BASED_INVLPG_EXITING)) {
			uint64_t la = 0;

			/* The qualification is the linear address (table 28-1). */
			emu_insn_linear(cpu, &in, in.addr, &la);
			vmx_vmexit(cpu, VMX_EXIT_INVLPG, la, in.len);
			return;
		}
		emu_emulate_invlpg(cpu, &in);
		return;
	case EMU_TRAP_RDTSC:
	case EMU_TRAP_RDTSCP:
		/* RDTSCP is #UD unless "enable RDTSCP" (§26.3). */
		if (in.trap == EMU_TRAP_RDTSCP && !cpu->bare &&
		    !((ctl(cpu)->cpu_based & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
		      (ctl(cpu)->secondary & SECONDARY_EXEC_ENABLE_RDTSCP))) {
			emu_raise_simple(cpu, X86_VEC_UD, false, 0);
			return;
		}
		if (cpu_based(cpu, CPU_BASED_RDTSC_EXITING)) {
			vmx_vmexit(cpu, in.trap == EMU_TRAP_RDTSCP ? VMX_EXIT_RDTSCP : VMX_EXIT_RDTSC, 0,
				   in.len);
			return;
		}
		emu_emulate_rdtsc(cpu, &in, tsc_offset(cpu));
		return;
	case EMU_TRAP_PAUSE:
		if (cpu_based(cpu, CPU_BASED_PAUSE_EXITING)) {
			vmx_vmexit(cpu, VMX_EXIT_PAUSE, 0, in.len);
			return;
		}
		emu_emulate_pause(cpu, &in);
		return;
	default:
		emu_fatal(cpu, "unexpected trap class %d at %#llx", (int)in.trap,
			  (unsigned long long)in.addr);
	}
}

/*
 * #UD from the engine, which has no VMX: the VMX instructions exit in VMX
 * non-root operation (§26.1.2), VMCALL whatever the guest's mode; outside
 * VMX operation (code a start-up IPI started) they are #UD.
 */
void vmx_handle_invalid(struct emu_cpu *cpu)
{
	struct emu_insn in;
	uint32_t reason = 0;

	if (!cpu->bare && emu_decode_insn(cpu, emu_linear(cpu, cpu->stop_rip), &in) == 0) {
		const uint8_t *b = in.bytes;
		size_t i = 0;
		uint8_t last_prefix = 0;

		while (i < in.len && (b[i] == 0xf3 || b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf2 ||
				      (b[i] >= 0x40 && b[i] <= 0x4f))) {
			if (b[i] == 0xf3 || b[i] == 0x66 || b[i] == 0xf2)
				last_prefix = b[i];
			i++;
		}
		if (i + 2 < (size_t)in.len + 1 && b[i] == 0x0f) {
			uint8_t op = b[i + 1], modrm = i + 2 < in.len ? b[i + 2] : 0;
			unsigned reg = (modrm >> 3) & 7;

			if (op == 0x01) {
				switch (modrm) {
				case 0xc1: reason = VMX_EXIT_VMCALL; break;
				case 0xc2: reason = VMX_EXIT_VMLAUNCH; break;
				case 0xc3: reason = VMX_EXIT_VMRESUME; break;
				case 0xc4: reason = VMX_EXIT_VMXOFF; break;
				default: break;
				}
			} else if (op == 0xc7 && (modrm >> 6) != 3 && reason == 0) {
				if (reg == 6)
					reason = last_prefix == 0xf3 ? VMX_EXIT_VMXON :
						 last_prefix == 0x66 ? VMX_EXIT_VMCLEAR : VMX_EXIT_VMPTRLD;
				else if (reg == 7 && !last_prefix)
					reason = VMX_EXIT_VMPTRST;
			} else if (op == 0x78 && !last_prefix) {
				reason = VMX_EXIT_VMREAD;
			} else if (op == 0x79 && !last_prefix) {
				reason = VMX_EXIT_VMWRITE;
			} else if (op == 0x38 && last_prefix == 0x66 && i + 2 < in.len &&
				   (b[i + 2] == 0x80 || b[i + 2] == 0x81)) {
				reason = b[i + 2] == 0x80 ? VMX_EXIT_INVEPT : VMX_EXIT_INVVPID;
			}
		}
	}
	emu_cpustate_clear_exception(cpu);
	if (reason) {
		uint64_t qual = 0;

		/*
		 * The qualification of a VMX instruction (table 28-1): its
		 * displacement field, sign-extended; for RIP-relative addressing
		 * the address it makes, displacement plus the next instruction's
		 * RIP; 0 with no displacement, a register operand among them.
		 */
		if (in.mem_count)
			qual = (uint64_t)in.mem_disp;
		if (in.mem_count && in.mem_base == X86_REG_RIP)
			qual += cpu->stop_rip + in.len;
		vmx_vmexit(cpu, reason, qual, in.len);
		return;
	}
	emu_raise_simple(cpu, X86_VEC_UD, false, 0);
}
