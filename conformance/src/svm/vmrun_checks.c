/* SPDX-License-Identifier: MIT */
/*
 * VMRUN consistency checks (APM vol. 2 §15.5.1 "Canonicalization and
 * Consistency Checks"): each scenario first runs the unmodified VMCB to a
 * VMMCALL, so that the base state is known to be legal, then breaks one
 * thing and expects VMEXIT_INVALID, or changes it up to a limit and
 * expects VMRUN to run the guest still.
 */
#include "svm_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);

/* The hv core's default VMCB runs the guest to its VMMCALL. */
static bool baseline(struct conf_ctx *ctx, struct conf_svm *s)
{
	if (!conf_svm_setup(ctx, s, CONF_PAYLOAD(icpt_guest), false))
		return false;
	return conf_svm_run_expect(ctx, s, SVM_EXIT_VMMCALL, "VMRUN of the unmodified VMCB");
}

static void expect_invalid(struct conf_ctx *ctx, struct conf_svm *s, const char *what)
{
	conf_check_outcome(ctx, what, conf_svm_vmrun(s), CONF_OUT_INVALID);
}

/* VMRUN intercept clear — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_no_vmrun_intercept, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the VMRUN intercept bit is clear",
	      "APM vol. 2 §15.5.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC2, INTERCEPT_VMRUN, false);
	expect_invalid(ctx, &s, "VMRUN without the VMRUN intercept");
}

/* ASID 0 (the host's) — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_asid_zero, "svm vmrun", "Expect: VMEXIT_INVALID when ASID = 0",
	      "APM vol. 2 §15.5.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->control.asid = 0;
	expect_invalid(ctx, &s, "VMRUN with ASID 0");
}

/* Guest EFER.SVME = 0 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_efer_svme_clear, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the guest's EFER.SVME = 0", "APM vol. 2 §15.5.1",
	      conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.efer &= ~X86_EFER_SVME;
	expect_invalid(ctx, &s, "VMRUN with EFER.SVME = 0");
}

/* A must-be-zero EFER bit (63) set — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_efer_mbz, "svm vmrun",
	      "Expect: VMEXIT_INVALID when a must-be-zero bit of EFER (bit 63) is set",
	      "APM vol. 2 §15.5.1, §3.1.7", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.efer |= 1ull << 63;
	expect_invalid(ctx, &s, "VMRUN with EFER[63] = 1");
}

/* CR0.CD = 0 with CR0.NW = 1 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_cr0_nw_without_cd, "svm vmrun",
	      "Expect: VMEXIT_INVALID when CR0.CD = 0 and CR0.NW = 1", "APM vol. 2 §15.5.1",
	      conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cr0 = (s.vmcb->save.cr0 & ~X86_CR0_CD) | X86_CR0_NW;
	expect_invalid(ctx, &s, "VMRUN with CR0.CD = 0, CR0.NW = 1");
}

/* CR0.CD = 1 with NW = 0 or 1 — Expect: both legal, the guest runs to VMMCALL */
CONF_SCENARIO(svm_vmrun_cr0_cd_legal, "svm vmrun",
	      "Expect: CR0.CD = 1 with NW = 0 and with NW = 1 are legal: #VMEXIT(VMMCALL)",
	      "APM vol. 2 §15.5.1, §3.1.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cr0 |= X86_CR0_CD;
	s.vmcb->save.cr0 &= ~X86_CR0_NW;
	conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "VMRUN with CR0.CD = 1, NW = 0");
	s.vmcb->save.cr0 |= X86_CR0_CD | X86_CR0_NW;
	conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "VMRUN with CR0.CD = 1, NW = 1");
}

/* CR0[63:32] != 0 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_cr0_high_bits, "svm vmrun",
	      "Expect: VMEXIT_INVALID when CR0[63:32] is not zero", "APM vol. 2 §15.5.1",
	      conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cr0 |= 1ull << 32;
	expect_invalid(ctx, &s, "VMRUN with CR0[32] = 1");
}

/* A must-be-zero CR3 bit in long mode (52) — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_cr3_mbz, "svm vmrun",
	      "Expect: VMEXIT_INVALID when a must-be-zero bit of CR3 (bit 52, long mode) is set",
	      "APM vol. 2 §15.5.1, §3.1.2", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cr3 |= 1ull << 52;
	expect_invalid(ctx, &s, "VMRUN with CR3[52] = 1");
}

/* A reserved CR4 bit (63) — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_cr4_reserved, "svm vmrun",
	      "Expect: VMEXIT_INVALID when a must-be-zero bit of CR4 (bit 63) is set",
	      "APM vol. 2 §15.5.1, §3.1.3", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cr4 |= 1ull << 63;
	expect_invalid(ctx, &s, "VMRUN with CR4[63] = 1");
}

/* DR6[63:32] != 0 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_dr6_high_bits, "svm vmrun",
	      "Expect: VMEXIT_INVALID when DR6[63:32] is not zero", "APM vol. 2 §15.5.1",
	      conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.dr6 |= 1ull << 32;
	expect_invalid(ctx, &s, "VMRUN with DR6[32] = 1");
}

/* DR7[63:32] != 0 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_dr7_high_bits, "svm vmrun",
	      "Expect: VMEXIT_INVALID when DR7[63:32] is not zero", "APM vol. 2 §15.5.1",
	      conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.dr7 |= 1ull << 32;
	expect_invalid(ctx, &s, "VMRUN with DR7[32] = 1");
}

/* EFER.LME = CR0.PG = 1 with CR4.PAE = 0 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_long_mode_without_pae, "svm vmrun",
	      "Expect: VMEXIT_INVALID when EFER.LME = CR0.PG = 1 and CR4.PAE = 0",
	      "APM vol. 2 §15.5.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cr4 &= ~X86_CR4_PAE;
	expect_invalid(ctx, &s, "VMRUN with LME = PG = 1, PAE = 0");
}

/* EFER.LME = CR0.PG = 1 with CR0.PE = 0 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_long_mode_without_pe, "svm vmrun",
	      "Expect: VMEXIT_INVALID when EFER.LME = CR0.PG = 1 and CR0.PE = 0",
	      "APM vol. 2 §15.5.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cr0 &= ~X86_CR0_PE;
	expect_invalid(ctx, &s, "VMRUN with LME = PG = 1, PE = 0");
}

/* Long mode with CS.L = CS.D = 1 — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_cs_l_and_d, "svm vmrun",
	      "Expect: VMEXIT_INVALID when EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all 1",
	      "APM vol. 2 §15.5.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->save.cs.attrib |= X86_SEG_L | X86_SEG_DB;
	expect_invalid(ctx, &s, "VMRUN with CS.L = CS.D = 1");
}

/*
 * The MSR and I/O permission maps (§15.5.1): VMRUN fails when a map extends
 * to a physical address at or above the maximum supported one,
 * 2^MAXPHYADDR - 1, MAXPHYADDR read from CPUID Fn8000_0008 EAX[7:0]. The
 * extent is 8 KiB for the MSRPM (§15.11) and 8 KiB + 1 byte for the IOPM
 * (64K + 3 bits, §15.10.1); bits 11:0 of a base are ignored. The list of
 * illegal states names no intercept bit, so a map is checked also when its
 * intercept is off.
 */
enum perm_map { MSRPM, IOPM };

/* Puts map m at 2^MAXPHYADDR - below, with its intercept on or off. */
static void place_map(struct conf_svm *s, enum perm_map m, uint64_t below, bool intercept)
{
	uint64_t base = (1ull << s->caps.maxphyaddr) - below;

	if (m == MSRPM) {
		hv_vmcb_intercept(s->vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_MSR_PROT, intercept);
		s->vmcb->control.msrpm_base_pa = base;
	} else {
		hv_vmcb_intercept(s->vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_IOIO_PROT, intercept);
		s->vmcb->control.iopm_base_pa = base;
	}
}

static void expect_map_invalid(struct conf_ctx *ctx, enum perm_map m, uint64_t below,
			       bool intercept)
{
	struct conf_svm s;
	char what[96];

	if (!baseline(ctx, &s))
		return;
	place_map(&s, m, below, intercept);
	hv_snprintf(what, sizeof(what), "VMRUN with the %s at 2^MAXPHYADDR - %llxh, intercept %s",
		    m == MSRPM ? "MSRPM" : "IOPM", (unsigned long long)below,
		    intercept ? "on" : "off");
	expect_invalid(ctx, &s, what);
}

/* MSRPM whose last byte is the maximum physical address — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_msrpm_last_byte_at_max, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the MSR permission map starts at 2^MAXPHYADDR - 2000h, "
	      "so that its 8 KiB end at the maximum physical address 2^MAXPHYADDR - 1",
	      "APM vol. 2 §15.5.1, §15.11", conf_svm_unsupported)
{
	expect_map_invalid(ctx, MSRPM, 0x2000, true);
}

/* MSRPM base 2^MAXPHYADDR - 1FFFh — Expect: VMEXIT_INVALID, bits 11:0 ignored */
CONF_SCENARIO(svm_vmrun_msrpm_base_low_bits_ignored, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the MSR permission map base is 2^MAXPHYADDR - 1FFFh: "
	      "bits 11:0 of the base are ignored, so the map is the one at 2^MAXPHYADDR - 2000h",
	      "APM vol. 2 §15.5.1, §15.11", conf_svm_unsupported)
{
	expect_map_invalid(ctx, MSRPM, 0x1fff, true);
}

/* MSRPM past the maximum physical address — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_msrpm_beyond_maxphyaddr, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the MSR permission map starts at 2^MAXPHYADDR - 1000h "
	      "and extends past the maximum physical address",
	      "APM vol. 2 §15.5.1, §15.11", conf_svm_unsupported)
{
	expect_map_invalid(ctx, MSRPM, 0x1000, true);
}

/* MSRPM past the maximum physical address, MSR intercept off — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_msrpm_checked_without_intercept, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the MSR permission map starts at 2^MAXPHYADDR - 1000h "
	      "while the MSR_PROT intercept is clear: the check does not depend on it",
	      "APM vol. 2 §15.5.1, §15.11", conf_svm_unsupported)
{
	expect_map_invalid(ctx, MSRPM, 0x1000, false);
}

/* IOPM whose 8 KiB + 1 byte end below the maximum physical address — Expect: VMRUN runs the guest */
CONF_SCENARIO(svm_vmrun_iopm_below_maxphyaddr, "svm vmrun",
	      "Expect: VMRUN runs the guest to its VMMCALL with the I/O permission map at "
	      "2^MAXPHYADDR - 4000h, - 3000h and - 2002h (bits 11:0 ignored: - 3000h again): the "
	      "8 KiB + 1 byte VMRUN checks end below the maximum physical address, though the "
	      "12 KiB allocated for the map would not",
	      "APM vol. 2 §15.5.1, §15.10.1", conf_svm_unsupported)
{
	static const uint64_t below[] = { 0x4000, 0x3000, 0x2002 };
	struct conf_svm s;
	char what[96];

	if (!baseline(ctx, &s))
		return;
	for (unsigned i = 0; i < sizeof(below) / sizeof(below[0]); i++) {
		place_map(&s, IOPM, below[i], true);
		hv_snprintf(what, sizeof(what), "VMRUN with the IOPM at 2^MAXPHYADDR - %llxh",
			    (unsigned long long)below[i]);
		/* The guest stops at VMMCALL again without moving on: each VMRUN starts there. */
		if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, what))
			return;
	}
}

/* IOPM whose extra byte is past the maximum physical address — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_iopm_last_byte_beyond, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the I/O permission map starts at 2^MAXPHYADDR - 2000h: "
	      "its two pages end at the maximum physical address and the byte after them is "
	      "past it",
	      "APM vol. 2 §15.5.1, §15.10.1", conf_svm_unsupported)
{
	expect_map_invalid(ctx, IOPM, 0x2000, true);
}

/* IOPM past the maximum physical address — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_iopm_beyond_maxphyaddr, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the I/O permission map starts at 2^MAXPHYADDR - 1000h "
	      "and extends past the maximum physical address",
	      "APM vol. 2 §15.5.1, §15.10.1", conf_svm_unsupported)
{
	expect_map_invalid(ctx, IOPM, 0x1000, true);
}

/* IOPM past the maximum physical address, IOIO intercept off — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_iopm_checked_without_intercept, "svm vmrun",
	      "Expect: VMEXIT_INVALID when the I/O permission map starts at 2^MAXPHYADDR - 1000h "
	      "while the IOIO_PROT intercept is clear: the check does not depend on it",
	      "APM vol. 2 §15.5.1, §15.10.1", conf_svm_unsupported)
{
	expect_map_invalid(ctx, IOPM, 0x1000, false);
}

/* The exit code VMRUN writes for an illegal VMCB — Expect: EXITCODE = -1 in all 64 bits */
CONF_SCENARIO(svm_vmrun_invalid_exit_code, "svm vmrun",
	      "Expect: VMEXIT_INVALID is written as EXITCODE = 0xFFFFFFFFFFFFFFFF (-1), all 64 "
	      "bits",
	      "APM vol. 2 §15.5.1, appendix C (VMEXIT_INVALID = -1)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!baseline(ctx, &s))
		return;
	s.vmcb->control.asid = 0;
	if (!conf_check_outcome(ctx, "VMRUN with ASID 0", conf_svm_vmrun(&s), CONF_OUT_INVALID))
		return;
	conf_check_u64(ctx, "EXITCODE (64 bits)", s.vmcb->control.exit_code, SVM_EXIT_ERR);
}
