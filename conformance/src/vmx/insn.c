/* SPDX-License-Identifier: MIT */
/*
 * The VMX instructions' own failures (SDM vol. 3C §31.3, the instruction
 * pages, and §31.4, "VM instruction error numbers"): each VMfailInvalid and
 * VMfailValid(n) that portable code can provoke from VMX root operation.
 */
#include "vmx_guest.h"


#define OUT_VALID(n) VMX_OUT_FAIL_VALID(VMXERR_##n)

/* A field encoding no processor supports: bit 12 is reserved in every encoding (§25.11.2). */
#define FIELD_RESERVED_BIT 0x00001000u
/* The high half of a natural-width field does not exist (§25.11.2). */
#define FIELD_NATURAL_HIGH (GUEST_RIP + 1)

static bool on(struct conf_ctx *ctx, struct conf_vmx *s)
{
	hv_memset(s, 0, sizeof(*s));
	return conf_vmx_on(ctx, s);
}

/* A VMCS made current, nothing written. */
static bool current(struct conf_ctx *ctx, struct conf_vmx *s)
{
	if (!on(ctx, s))
		return false;
	s->vmcs_pa = conf_vmx_region(s);
	return conf_vmx_check(ctx, "VMCLEAR", conf_vmx_outcome(arch_vmclear(s->vmcs_pa)),
			      VMX_OUT_SUCCEED) &&
	       conf_vmx_check(ctx, "VMPTRLD", conf_vmx_outcome(arch_vmptrld(s->vmcs_pa)),
			      VMX_OUT_SUCCEED);
}

/* VMXON in VMX root operation — Expect: VMfailValid(15) */
CONF_SCENARIO(vmx_vmxon_in_root, "vmx insn",
	      "Expect: VMfailValid(15) (VMXON executed in VMX root operation)",
	      "SDM vol. 3C §31.3 \"VMXON\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	/* §31.2: VMfailValid needs a current VMCS, VMfailInvalid otherwise. */
	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "second VMXON", conf_vmx_outcome(arch_vmxon(conf_vmx_region(&s))),
		       OUT_VALID(VMXON_IN_ROOT));
	conf_vmx_off(&s);
}

/* VMXON in root without a current VMCS — Expect: VMfailInvalid */
CONF_SCENARIO(vmx_vmxon_in_root_no_vmcs, "vmx insn",
	      "Expect: VMfailInvalid (error 15 has no current VMCS to be stored in)",
	      "SDM vol. 3C §31.3 \"VMXON\", §31.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!on(ctx, &s))
		return;
	conf_vmx_check(ctx, "second VMXON", conf_vmx_outcome(arch_vmxon(conf_vmx_region(&s))),
		       VMX_OUT_FAIL_INVALID);
	conf_vmx_off(&s);
}

/* VMXON with a region whose revision identifier is wrong — Expect: VMfailInvalid */
CONF_SCENARIO(vmx_vmxon_bad_revision, "vmx insn",
	      "Expect: VMfailInvalid, and VMX operation is not entered (VMXOFF then #UD)",
	      "SDM vol. 3C §31.3 \"VMXON\"", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t pa;

	hv_memset(&s, 0, sizeof(s));
	if (!conf_vmx_on(ctx, &s))
		return;
	conf_vmx_off(&s);
	pa = conf_vmx_region(&s);
	*(uint32_t *)arch_phys_to_virt(pa) = s.caps.revision ^ 1u;
	if (!conf_vmx_check(ctx, "VMXON", conf_vmx_outcome(arch_vmxon(pa)), VMX_OUT_FAIL_INVALID)) {
		conf_vmx_off(&s);
		return;
	}
	conf_vmx_check(ctx, "VMXOFF outside VMX operation",
		       conf_vmx_outcome(arch_vmxoff()), VMX_OUT_FAULT(6));
}

/* VMXON with an address that is not 4-KByte aligned — Expect: VMfailInvalid */
CONF_SCENARIO(vmx_vmxon_unaligned, "vmx insn",
	      "Expect: VMfailInvalid (VMXON pointer not 4-KByte aligned)",
	      "SDM vol. 3C §31.3 \"VMXON\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	hv_memset(&s, 0, sizeof(s));
	if (!conf_vmx_on(ctx, &s))
		return;
	conf_vmx_off(&s);
	if (!conf_vmx_check(ctx, "VMXON", conf_vmx_outcome(arch_vmxon(conf_vmx_region(&s) + 8)),
			    VMX_OUT_FAIL_INVALID))
		conf_vmx_off(&s);
}

/* VMXON with an address beyond MAXPHYADDR — Expect: VMfailInvalid */
CONF_SCENARIO(vmx_vmxon_beyond_maxphyaddr, "vmx insn",
	      "Expect: VMfailInvalid (VMXON pointer sets bits beyond the physical-address width)",
	      "SDM vol. 3C §31.3 \"VMXON\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	hv_memset(&s, 0, sizeof(s));
	if (!conf_vmx_on(ctx, &s))
		return;
	conf_vmx_off(&s);
	if (!conf_vmx_check(ctx, "VMXON",
			    conf_vmx_outcome(arch_vmxon(1ull << s.caps.maxphyaddr)),
			    VMX_OUT_FAIL_INVALID))
		conf_vmx_off(&s);
}

/* VMXOFF leaves VMX operation — Expect: VMREAD then #UD, VMXON succeeds again */
CONF_SCENARIO(vmx_vmxoff_leaves_vmx_operation, "vmx insn",
	      "Expect: VMXOFF VMsucceed; afterwards VMREAD raises #UD and VMXON succeeds",
	      "SDM vol. 3C §31.3 \"VMXOFF\", \"VMREAD\"", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t v;

	if (!current(ctx, &s))
		return;
	if (!conf_vmx_check(ctx, "VMXOFF", conf_vmx_outcome(arch_vmxoff()), VMX_OUT_SUCCEED))
		return;
	conf_vmx_check(ctx, "VMREAD outside VMX operation",
		       conf_vmx_outcome(arch_vmread(GUEST_RIP, &v)), VMX_OUT_FAULT(6));
	conf_vmx_check(ctx, "VMXON again", conf_vmx_outcome(arch_vmxon(s.vmxon_pa)),
		       VMX_OUT_SUCCEED);
	conf_vmx_off(&s);
}

/* VMCLEAR of the VMXON region — Expect: VMfailValid(3) */
CONF_SCENARIO(vmx_vmclear_vmxon_pointer, "vmx insn",
	      "Expect: VMfailValid(3) (VMCLEAR with VMXON pointer)",
	      "SDM vol. 3C §31.3 \"VMCLEAR\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMCLEAR", conf_vmx_outcome(arch_vmclear(s.vmxon_pa)),
		       OUT_VALID(VMCLEAR_VMXON_POINTER));
	conf_vmx_off(&s);
}

/* VMCLEAR of an address not 4-KByte aligned — Expect: VMfailValid(2) */
CONF_SCENARIO(vmx_vmclear_unaligned, "vmx insn",
	      "Expect: VMfailValid(2) (VMCLEAR with invalid physical address)",
	      "SDM vol. 3C §31.3 \"VMCLEAR\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMCLEAR", conf_vmx_outcome(arch_vmclear(s.vmcs_pa + 0x800)),
		       OUT_VALID(VMCLEAR_INVALID_ADDRESS));
	conf_vmx_off(&s);
}

/* VMCLEAR of an address beyond MAXPHYADDR — Expect: VMfailValid(2) */
CONF_SCENARIO(vmx_vmclear_beyond_maxphyaddr, "vmx insn",
	      "Expect: VMfailValid(2) (VMCLEAR with invalid physical address)",
	      "SDM vol. 3C §31.3 \"VMCLEAR\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMCLEAR",
		       conf_vmx_outcome(arch_vmclear(1ull << s.caps.maxphyaddr)),
		       OUT_VALID(VMCLEAR_INVALID_ADDRESS));
	conf_vmx_off(&s);
}

/* VMPTRLD of the VMXON region — Expect: VMfailValid(10) */
CONF_SCENARIO(vmx_vmptrld_vmxon_pointer, "vmx insn",
	      "Expect: VMfailValid(10) (VMPTRLD with VMXON pointer)",
	      "SDM vol. 3C §31.3 \"VMPTRLD\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMPTRLD", conf_vmx_outcome(arch_vmptrld(s.vmxon_pa)),
		       OUT_VALID(VMPTRLD_VMXON_POINTER));
	conf_vmx_off(&s);
}

/* VMPTRLD of an address not 4-KByte aligned — Expect: VMfailValid(9) */
CONF_SCENARIO(vmx_vmptrld_unaligned, "vmx insn",
	      "Expect: VMfailValid(9) (VMPTRLD with invalid physical address)",
	      "SDM vol. 3C §31.3 \"VMPTRLD\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMPTRLD", conf_vmx_outcome(arch_vmptrld(s.vmcs_pa + 0x10)),
		       OUT_VALID(VMPTRLD_INVALID_ADDRESS));
	conf_vmx_off(&s);
}

/* VMPTRLD of a region with the wrong revision identifier — Expect: VMfailValid(11) */
CONF_SCENARIO(vmx_vmptrld_bad_revision, "vmx insn",
	      "Expect: VMfailValid(11) (VMPTRLD with incorrect VMCS revision identifier)",
	      "SDM vol. 3C §31.3 \"VMPTRLD\"", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t pa;

	if (!current(ctx, &s))
		return;
	pa = conf_vmx_region(&s);
	*(uint32_t *)arch_phys_to_virt(pa) = s.caps.revision ^ 1u;
	conf_vmx_check(ctx, "VMPTRLD", conf_vmx_outcome(arch_vmptrld(pa)),
		       OUT_VALID(VMPTRLD_INCORRECT_REVISION));
	conf_vmx_off(&s);
}

/* VMREAD of a field with a reserved encoding bit — Expect: VMfailValid(12) */
CONF_SCENARIO(vmx_vmread_unsupported_field, "vmx insn",
	      "Expect: VMfailValid(12) (VMREAD/VMWRITE from/to unsupported VMCS component)",
	      "SDM vol. 3C §31.3 \"VMREAD\"", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t v;

	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMREAD", conf_vmx_outcome(arch_vmread(FIELD_RESERVED_BIT, &v)),
		       OUT_VALID(UNSUPPORTED_VMCS_COMPONENT));
	conf_vmx_off(&s);
}

/* VMWRITE of the high half of a natural-width field — Expect: VMfailValid(12) */
CONF_SCENARIO(vmx_vmwrite_unsupported_field, "vmx insn",
	      "Expect: VMfailValid(12): natural-width fields have no high access type",
	      "SDM vol. 3C §31.3 \"VMWRITE\", §25.11.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!current(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMWRITE", conf_vmx_outcome(arch_vmwrite(FIELD_NATURAL_HIGH, 0)),
		       OUT_VALID(UNSUPPORTED_VMCS_COMPONENT));
	conf_vmx_off(&s);
}

/*
 * VMWRITE of a VM-exit information field — Expect: VMfailValid(13), or
 * VMsucceed where IA32_VMX_MISC[29] allows VMWRITE to any field.
 */
CONF_SCENARIO(vmx_vmwrite_read_only_field, "vmx insn",
	      "Expect: VMfailValid(13) (VMWRITE to read-only VMCS component) when "
	      "IA32_VMX_MISC[29] = 0, else VMsucceed and VMREAD returns the value",
	      "SDM vol. 3C §31.3 \"VMWRITE\", appendix A.6", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t v = 0;

	if (!current(ctx, &s))
		return;
	if (!(s.caps.misc & VMX_MISC_VMWRITE_ANY_FIELD)) {
		conf_vmx_check(ctx, "VMWRITE EXIT_QUALIFICATION",
			       conf_vmx_outcome(arch_vmwrite(EXIT_QUALIFICATION, 0x1234)),
			       OUT_VALID(VMWRITE_READ_ONLY_COMPONENT));
	} else if (conf_vmx_check(ctx, "VMWRITE EXIT_QUALIFICATION",
				  conf_vmx_outcome(arch_vmwrite(EXIT_QUALIFICATION, 0x1234)),
				  VMX_OUT_SUCCEED)) {
		(void)arch_vmread(EXIT_QUALIFICATION, &v);
		conf_check_u64(ctx, "EXIT_QUALIFICATION read back", v, 0x1234);
	}
	conf_vmx_off(&s);
}

/* VMREAD with no current VMCS — Expect: VMfailInvalid */
CONF_SCENARIO(vmx_vmread_no_current_vmcs, "vmx insn",
	      "Expect: VMfailInvalid (no current VMCS)",
	      "SDM vol. 3C §31.3 \"VMREAD\"", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t v;

	if (!on(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMREAD", conf_vmx_outcome(arch_vmread(GUEST_RIP, &v)),
		       VMX_OUT_FAIL_INVALID);
	conf_vmx_off(&s);
}

/* VMWRITE with no current VMCS — Expect: VMfailInvalid */
CONF_SCENARIO(vmx_vmwrite_no_current_vmcs, "vmx insn",
	      "Expect: VMfailInvalid (no current VMCS)",
	      "SDM vol. 3C §31.3 \"VMWRITE\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!on(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMWRITE", conf_vmx_outcome(arch_vmwrite(GUEST_RIP, 0)),
		       VMX_OUT_FAIL_INVALID);
	conf_vmx_off(&s);
}

/* VMLAUNCH with no current VMCS — Expect: VMfailInvalid */
CONF_SCENARIO(vmx_vmlaunch_no_current_vmcs, "vmx insn",
	      "Expect: VMfailInvalid (no current VMCS)",
	      "SDM vol. 3C §31.3 \"VMLAUNCH/VMRESUME\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!on(ctx, &s))
		return;
	conf_vmx_check(ctx, "VMLAUNCH", conf_vmx_outcome(arch_vmlaunch(&s.gprs)),
		       VMX_OUT_FAIL_INVALID);
	conf_vmx_off(&s);
}

/* VMCLEAR of the current VMCS — Expect: no current VMCS (VMREAD VMfailInvalid) */
CONF_SCENARIO(vmx_vmclear_current_vmcs, "vmx insn",
	      "Expect: VMCLEAR VMsucceed; the current-VMCS pointer becomes FFFFFFFF_FFFFFFFFH, "
	      "so VMREAD gives VMfailInvalid",
	      "SDM vol. 3C §31.3 \"VMCLEAR\"", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t v;

	if (!current(ctx, &s))
		return;
	if (conf_vmx_check(ctx, "VMCLEAR", conf_vmx_outcome(arch_vmclear(s.vmcs_pa)),
			   VMX_OUT_SUCCEED))
		conf_vmx_check(ctx, "VMREAD after it",
			       conf_vmx_outcome(arch_vmread(GUEST_RIP, &v)),
			       VMX_OUT_FAIL_INVALID);
	conf_vmx_off(&s);
}

/* VMREAD returns what VMWRITE wrote, per width — Expect: the value, cut to the field's width */
CONF_SCENARIO(vmx_vmwrite_vmread_widths, "vmx insn",
	      "Expect: VMREAD returns the VMWRITE value, truncated to 16 and 32 bits for "
	      "those widths; the high access type of a 64-bit field reads bits 63:32",
	      "SDM vol. 3C §31.3 \"VMREAD\", \"VMWRITE\", §25.11.2", conf_vmx_unsupported)
{
	struct conf_vmx s;
	const uint64_t v = 0x8877665544332211ull;

	if (!current(ctx, &s))
		return;
	(void)arch_vmwrite(GUEST_ES_SELECTOR, v);
	(void)arch_vmwrite(GUEST_ES_LIMIT, v);
	(void)arch_vmwrite(VMCS_LINK_POINTER, v);
	(void)arch_vmwrite(GUEST_RSP, v);
	conf_check_u64(ctx, "16-bit GUEST_ES_SELECTOR", conf_vmx_r(GUEST_ES_SELECTOR), 0x2211);
	conf_check_u64(ctx, "32-bit GUEST_ES_LIMIT", conf_vmx_r(GUEST_ES_LIMIT), 0x44332211);
	conf_check_u64(ctx, "64-bit VMCS_LINK_POINTER", conf_vmx_r(VMCS_LINK_POINTER), v);
	conf_check_u64(ctx, "VMCS_LINK_POINTER high", conf_vmx_r(VMCS_LINK_POINTER + 1),
		       v >> 32);
	conf_check_u64(ctx, "natural-width GUEST_RSP", conf_vmx_r(GUEST_RSP), v);
	conf_vmx_off(&s);
}

/* VMLAUNCH of a launched VMCS — Expect: VMfailValid(4) */
CONF_SCENARIO(vmx_vmlaunch_launched_vmcs, "vmx insn",
	      "Expect: VMfailValid(4) (VMLAUNCH with non-clear VMCS)",
	      "SDM vol. 3C §31.3 \"VMLAUNCH/VMRESUME\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		return;
	if (conf_vmx_run_to_mark(ctx, &s, MARK_DONE, "VMLAUNCH to the guest's VMCALL"))
		conf_vmx_check(ctx, "VMLAUNCH again", conf_vmx_outcome(arch_vmlaunch(&s.gprs)),
			       OUT_VALID(VMLAUNCH_NONCLEAR_VMCS));
	conf_vmx_off(&s);
}

/* VMRESUME of a clear VMCS — Expect: VMfailValid(5) */
CONF_SCENARIO(vmx_vmresume_clear_vmcs, "vmx insn",
	      "Expect: VMfailValid(5) (VMRESUME with non-launched VMCS)",
	      "SDM vol. 3C §31.3 \"VMLAUNCH/VMRESUME\"", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		return;
	conf_vmx_check(ctx, "VMRESUME", conf_vmx_outcome(arch_vmresume(&s.gprs)),
		       OUT_VALID(VMRESUME_NONLAUNCHED_VMCS));
	conf_vmx_off(&s);
}

/* VMCLEAR of a launched VMCS makes it clear — Expect: VMRESUME fails (5), VMLAUNCH enters */
CONF_SCENARIO(vmx_vmclear_makes_clear, "vmx insn",
	      "Expect: after VMCLEAR and VMPTRLD, VMRESUME gives VMfailValid(5) and VMLAUNCH "
	      "enters the guest again",
	      "SDM vol. 3C §31.3 \"VMCLEAR\", §25.1", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		return;
	if (!conf_vmx_run_to_mark(ctx, &s, MARK_DONE, "VMLAUNCH to the guest's VMCALL"))
		goto out;
	if (!conf_vmx_check(ctx, "VMCLEAR", conf_vmx_outcome(arch_vmclear(s.vmcs_pa)),
			    VMX_OUT_SUCCEED) ||
	    !conf_vmx_check(ctx, "VMPTRLD", conf_vmx_outcome(arch_vmptrld(s.vmcs_pa)),
			    VMX_OUT_SUCCEED))
		goto out;
	conf_vmx_check(ctx, "VMRESUME", conf_vmx_outcome(arch_vmresume(&s.gprs)),
		       OUT_VALID(VMRESUME_NONLAUNCHED_VMCS));
	s.launched = false;
	conf_vmx_run_to_mark(ctx, &s, MARK_DONE, "VMLAUNCH after VMCLEAR");
out:
	conf_vmx_off(&s);
}
