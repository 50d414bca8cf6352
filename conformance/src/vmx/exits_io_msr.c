/* SPDX-License-Identifier: MIT */
/*
 * I/O instructions and RDMSR/WRMSR (SDM vol. 3C §26.1.3): unconditional I/O
 * exiting, the I/O bitmaps A (ports 0000-7FFFH) and B (8000-FFFFH), the
 * MSR bitmap's four 1-KByte parts (§25.6.9), MSRs outside both ranges, and
 * the I/O exit qualification (§28.2.1, table 28-5).
 */
#include "vmx_guest.h"

#define IO_PORT_A 0x80u
#define IO_PORT_B 0x8086u
#define MSR_OUT_OF_RANGE 0x40000000u
#define MSR_KERNEL_GS 0xc0000102u

static const char *bitmaps_unsupported(void)
{
	const char *base = conf_vmx_unsupported();
	struct conf_vmx_caps c;

	if (base)
		return base;
	(void)conf_vmx_read_caps(&c);
	if (!conf_vmx_may1(c.proc, CPU_BASED_USE_IO_BITMAPS))
		return "IA32_VMX_PROCBASED_CTLS[57] (use I/O bitmaps allowed-1) = 0";
	if (!conf_vmx_may1(c.proc, CPU_BASED_USE_MSR_BITMAPS))
		return "IA32_VMX_PROCBASED_CTLS[60] (use MSR bitmaps allowed-1) = 0";
	return NULL;
}

/* I/O bitmaps A and B, zeroed; returns A's host pointer (B follows it). */
static uint8_t *io_bitmaps(struct conf_vmx *s)
{
	uint64_t pa = arch_pages_alloc(2);

	conf_vmx_w(s, IO_BITMAP_A, pa);
	conf_vmx_w(s, IO_BITMAP_B, pa + 4096);
	conf_vmx_set_ctl(s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_IO_BITMAPS, true);
	return arch_phys_to_virt(pa);
}

static uint8_t *msr_bitmap(struct conf_vmx *s)
{
	uint64_t pa = arch_page_alloc();

	conf_vmx_w(s, MSR_BITMAP, pa);
	conf_vmx_set_ctl(s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS, true);
	return arch_phys_to_virt(pa);
}

static void io_exit(struct conf_ctx *ctx, struct conf_vmx *s, const uint8_t *start,
		    const uint8_t *insn, uint64_t qual)
{
	conf_vmx_start_at(s, start);
	if (!conf_vmx_run_expect(ctx, s, VMX_EXIT_IO_INSTRUCTION, "VMLAUNCH"))
		return;
	conf_check_u64(ctx, "guest RIP (at the instruction)", s->exit.rip, conf_vmx_addr(s, insn));
	conf_check_u64(ctx, "exit qualification", s->exit.qualification, qual);
}

/* OUT imm8 with unconditional I/O exiting — Expect: VM exit 30, 1 byte, OUT, immediate, port */
CONF_SCENARIO(vmx_exit_io_unconditional, "vmx exits io",
	      "Expect: VM exit I/O instruction (30), qualification: size 1 byte (0), OUT, "
	      "immediate operand (bit 6), port 80H in bits 31:16",
	      "SDM vol. 3C §26.1.3, §28.2.1", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_UNCONDITIONAL_IO_EXITING, true);
	io_exit(ctx, &s, vmx_guest_out, vmx_guest_out_insn,
		EXIT_QUAL_IO_IMMEDIATE | ((uint64_t)IO_PORT_A << EXIT_QUAL_IO_PORT_SHIFT));
out:
	conf_vmx_off(&s);
}

/* REP OUTSB — Expect: VM exit 30 with string and REP, the linear address of the source */
CONF_SCENARIO(vmx_exit_io_string_rep, "vmx exits io",
	      "Expect: VM exit 30, qualification: 1 byte, OUT, string (bit 4), REP (bit 5), "
	      "port in DX; guest-linear address = the source operand's address",
	      "SDM vol. 3C §26.1.3, §28.2.1", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_UNCONDITIONAL_IO_EXITING, true);
	io_exit(ctx, &s, vmx_guest_outs_rep, vmx_guest_outs_rep_insn,
		EXIT_QUAL_IO_STRING | EXIT_QUAL_IO_REP |
			((uint64_t)IO_PORT_A << EXIT_QUAL_IO_PORT_SHIFT));
	if (s.exit.reason == VMX_EXIT_IO_INSTRUCTION)
		conf_check_u64(ctx, "guest-linear address", s.exit.guest_linear, s.gprs.rsi);
out:
	conf_vmx_off(&s);
}

/* IN from DX with the port's bit set in bitmap B — Expect: VM exit 30, 2 bytes, IN */
CONF_SCENARIO(vmx_exit_io_bitmap_b, "vmx exits io",
	      "Expect: VM exit 30 for port 8086H through bitmap B, qualification: size 2 bytes "
	      "(1), IN (bit 3), port in DX (bit 6 clear)",
	      "SDM vol. 3C §26.1.3, §25.6.4, §28.2.1", bitmaps_unsupported)
{
	struct conf_vmx s;
	uint8_t *bm;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	bm = io_bitmaps(&s);
	bm[IO_PORT_B / 8] |= (uint8_t)(1u << (IO_PORT_B % 8));
	io_exit(ctx, &s, vmx_guest_in_dx, vmx_guest_in_dx_insn,
		1 | EXIT_QUAL_IO_IN | ((uint64_t)IO_PORT_B << EXIT_QUAL_IO_PORT_SHIFT));
out:
	conf_vmx_off(&s);
}

/* OUT with the port's bit clear in bitmap A — Expect: no VM exit */
CONF_SCENARIO(vmx_io_bitmap_clear_no_exit, "vmx exits io",
	      "Expect: no VM exit for port 80H whose bit in bitmap A is 0 (every other port's "
	      "bit set)",
	      "SDM vol. 3C §26.1.3, §25.6.4", bitmaps_unsupported)
{
	struct conf_vmx s;
	uint8_t *bm;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	bm = io_bitmaps(&s);
	hv_memset(bm, 0xff, 8192);
	bm[IO_PORT_A / 8] &= (uint8_t)~(1u << (IO_PORT_A % 8));
	conf_vmx_start_at(&s, vmx_guest_out);
	conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH to the VMCALL after OUT");
out:
	conf_vmx_off(&s);
}

static void msr_exit(struct conf_ctx *ctx, struct conf_vmx *s, const uint8_t *start,
		     const uint8_t *insn, uint32_t reason, uint32_t msr)
{
	s->gprs.rcx = msr;
	conf_vmx_start_at(s, start);
	if (!conf_vmx_run_expect(ctx, s, reason, "VMLAUNCH"))
		return;
	conf_check_u64(ctx, "guest RIP (at the instruction)", s->exit.rip, conf_vmx_addr(s, insn));
	conf_check_u64(ctx, "guest RCX", s->gprs.rcx, msr);
}

/* RDMSR without MSR bitmaps — Expect: VM exit RDMSR (31) */
CONF_SCENARIO(vmx_exit_rdmsr_no_bitmaps, "vmx exits msr",
	      "Expect: VM exit RDMSR (31) for any MSR when \"use MSR bitmaps\" is 0",
	      "SDM vol. 3C §26.1.3", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS, false);
	msr_exit(ctx, &s, vmx_guest_rdmsr_insn, vmx_guest_rdmsr_insn, VMX_EXIT_RDMSR,
		 MSR_SYSENTER_ESP);
out:
	conf_vmx_off(&s);
}

/* RDMSR of a low MSR whose read bit is set — Expect: VM exit 31 */
CONF_SCENARIO(vmx_exit_rdmsr_bitmap_low, "vmx exits msr",
	      "Expect: VM exit 31 for MSR 175H, its bit set in the read bitmap for low MSRs "
	      "(bytes 0-1023)",
	      "SDM vol. 3C §26.1.3, §25.6.9", bitmaps_unsupported)
{
	struct conf_vmx s;
	uint8_t *bm;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	bm = msr_bitmap(&s);
	bm[MSR_SYSENTER_ESP / 8] |= (uint8_t)(1u << (MSR_SYSENTER_ESP % 8));
	msr_exit(ctx, &s, vmx_guest_rdmsr_insn, vmx_guest_rdmsr_insn, VMX_EXIT_RDMSR,
		 MSR_SYSENTER_ESP);
out:
	conf_vmx_off(&s);
}

/* WRMSR of a high MSR whose write bit is set — Expect: VM exit WRMSR (32) */
CONF_SCENARIO(vmx_exit_wrmsr_bitmap_high, "vmx exits msr",
	      "Expect: VM exit WRMSR (32) for MSR C0000102H, its bit set in the write bitmap "
	      "for high MSRs (bytes 3072-4095)",
	      "SDM vol. 3C §26.1.3, §25.6.9", bitmaps_unsupported)
{
	struct conf_vmx s;
	uint8_t *bm;
	uint32_t low = MSR_KERNEL_GS - 0xc0000000u;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	bm = msr_bitmap(&s);
	bm[3072 + low / 8] |= (uint8_t)(1u << (low % 8));
	msr_exit(ctx, &s, vmx_guest_wrmsr, vmx_guest_wrmsr_insn, VMX_EXIT_WRMSR, MSR_KERNEL_GS);
out:
	conf_vmx_off(&s);
}

/* RDMSR outside both ranges, bitmap all zero — Expect: VM exit 31 */
CONF_SCENARIO(vmx_exit_rdmsr_out_of_range, "vmx exits msr",
	      "Expect: VM exit 31 for MSR 40000000H, outside 0-1FFFH and C0000000H-C0001FFFH, "
	      "even with a zero MSR bitmap",
	      "SDM vol. 3C §26.1.3", bitmaps_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	(void)msr_bitmap(&s);
	msr_exit(ctx, &s, vmx_guest_rdmsr_insn, vmx_guest_rdmsr_insn, VMX_EXIT_RDMSR,
		 MSR_OUT_OF_RANGE);
out:
	conf_vmx_off(&s);
}
