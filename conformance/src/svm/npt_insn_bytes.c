/* SPDX-License-Identifier: MIT */
/*
 * Decode assists: the guest instruction bytes the processor stores in the
 * VMCB at 0D0h on #NPF and an intercepted #PF, and clears on every other
 * #VMEXIT (APM vol. 2 §15.8.4). The #NPF comes from the hv's nested tables
 * (hv/svm_npt.h), which leave the page at FEE00000h out.
 */
#include "svm_util.h"
#include "x86/apic.h"

CONF_PAYLOAD_DECLARE(insn_bytes_guest);
CONF_PAYLOAD_LABEL(insn_bytes_guest, load);
CONF_PAYLOAD_LABEL(insn_bytes_guest, call);

/* The bytes at insn_bytes_guest's load, as insn_bytes.S writes them. */
static const uint8_t load_bytes[15] = {
	0x8b, 0x43, 0x30, 0x0f, 0x01, 0xd9, 0xb8, 0x41,
	0x42, 0x43, 0x44, 0xb9, 0x45, 0x46, 0x47,
};

static const char *decode_assists_unsupported(void)
{
	const char *why = conf_svm_unsupported();
	struct hv_svm_caps caps;

	if (why)
		return why;
	hv_svm_caps(&caps);
	return caps.decode_assists ? NULL : "CPUID Fn8000_000A EDX[7] (DecodeAssists) = 0";
}

static const char *npt_decode_assists_unsupported(void)
{
	const char *why = conf_npt_unsupported();

	return why ? why : decode_assists_unsupported();
}

/* A value no exit leaves in the field, written before VMRUN. */
static void poison(struct vmcb *vmcb)
{
	vmcb->control.insn_len = 0x0f;
	hv_memset(vmcb->control.insn_bytes, 0xcc, sizeof(vmcb->control.insn_bytes));
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A load from a page the nested tables leave out — Expect: #NPF with the 15 bytes at CS:RIP */
CONF_SCENARIO(svm_npt_insn_bytes, "svm npt decodeassists",
	      "Expect: #VMEXIT(NPF) for the load at FEE00030h stores the number of bytes fetched, "
	      "15, in bits 3:0 of VMCB byte 0D0h and the 15 bytes at the guest's CS:RIP after it "
	      "(the load, VMMCALL and the code that follows)",
	      "APM vol. 2 §15.8.4, table 15-6; §15.25.6", npt_decode_assists_unsupported)
{
	struct conf_svm s;
	struct hv_npt npt;
	int rc;

	if (!conf_svm_setup(ctx, &s, CONF_PAYLOAD(insn_bytes_guest), false))
		return;
	rc = hv_npt_build(&npt, APIC_DEFAULT_BASE);
	if (rc) {
		conf_error(ctx, "hv_npt_build: %s", hv_strerror(rc));
		return;
	}
	s.vmcb->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	s.vmcb->control.nested_cr3 = npt.root;
	s.vcpu.gprs.rbx = APIC_DEFAULT_BASE;
	poison(s.vmcb);
	conf_svm_start_at(&s, insn_bytes_guest_load);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_NPF, "a load of a page the nested tables leave out") ||
	    !conf_check_masked(ctx, "exit_info_2 (GPA), page", s.vmcb->control.exit_info_2,
			       ~0xfffull, APIC_DEFAULT_BASE))
		return;
	conf_check_u64(ctx, "number of bytes fetched (0D0h bits 3:0)",
		       s.vmcb->control.insn_len & SVM_INSN_LEN_MASK, 15);
	conf_check_u64(ctx, "0D0h bits 7:4", s.vmcb->control.insn_len >> 4, 0);
	conf_check_u64(ctx, "instruction bytes 0-7 (little-endian)",
		       le(s.vmcb->control.insn_bytes, 8), le(load_bytes, 8));
	conf_check_u64(ctx, "instruction bytes 8-14 (little-endian)",
		       le(s.vmcb->control.insn_bytes + 8, 7), le(load_bytes + 8, 7));
}

/* An intercept other than #NPF and #PF — Expect: the number of bytes fetched is cleared */
CONF_SCENARIO(svm_intercept_insn_len_cleared, "svm intercepts decodeassists",
	      "Expect: #VMEXIT(VMMCALL) clears bits 7:0 of VMCB byte 0D0h, which held 0Fh before "
	      "VMRUN",
	      "APM vol. 2 §15.8.4", decode_assists_unsupported)
{
	struct conf_svm s;

	if (!conf_svm_setup(ctx, &s, CONF_PAYLOAD(insn_bytes_guest), false))
		return;
	poison(s.vmcb);
	conf_svm_start_at(&s, insn_bytes_guest_call);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "VMMCALL"))
		return;
	conf_check_u64(ctx, "VMCB byte 0D0h", s.vmcb->control.insn_len, 0);
}
