/* SPDX-License-Identifier: MIT */
/*
 * The consistency checks VMRUN makes before it enters the guest, one row
 * each: an identifier, the manual section, and the rule as a legal VMCB
 * satisfies it. A VMCB that breaks one makes VMRUN exit with VMEXIT_INVALID
 * (APM vol. 2 §15.5.1). The rows are in the order the model checks them;
 * the model reports the first one broken (svm-model/checks.c).
 *
 * Who may include it: everyone.
 */
#ifndef X86_SVM_CHECKS_H
#define X86_SVM_CHECKS_H

#define SVM_VMRUN_CHECKS(X)                                                                    \
	X(VMRUN_INTERCEPT, "APM vol. 2 §15.5.1", "the VMRUN intercept bit is set")            \
	X(ASID_NONZERO, "APM vol. 2 §15.5.1", "ASID is not 0")                                \
	X(EFER_SVME, "APM vol. 2 §15.5.1", "the guest's EFER.SVME is set")                    \
	X(EFER_MBZ, "APM vol. 2 §15.5.1, §3.1.7", "EFER's must-be-zero bits are clear")       \
	X(CR0_CD_NW, "APM vol. 2 §15.5.1", "CR0.NW is not set while CR0.CD is clear")         \
	X(CR0_HIGH, "APM vol. 2 §15.5.1", "CR0[63:32] is zero")                               \
	X(CR4_MBZ, "APM vol. 2 §15.5.1, §3.1.3", "CR4's reserved bits are clear")             \
	X(CR3_MBZ_LONG, "APM vol. 2 §15.5.1", "with EFER.LME and CR0.PG, CR3[63:52] is zero") \
	X(DR6_DR7_HIGH, "APM vol. 2 §15.5.1", "DR6[63:32] and DR7[63:32] are zero")           \
	X(LONG_PAE, "APM vol. 2 §15.5.1", "EFER.LME and CR0.PG are not set with CR4.PAE clear") \
	X(LONG_PE, "APM vol. 2 §15.5.1", "EFER.LME and CR0.PG are not set with CR0.PE clear") \
	X(CS_L_D, "APM vol. 2 §15.5.1", "in long mode, CS.L and CS.D are not both set")      \
	X(MSRPM_MAXPHYADDR, "APM vol. 2 §15.5.1, §15.11",                                     \
	  "the MSR permission map lies below 2^MAXPHYADDR - 1")                                 \
	X(IOPM_MAXPHYADDR, "APM vol. 2 §15.5.1, §15.10.1",                                    \
	  "the I/O permission map lies below 2^MAXPHYADDR - 1")                                 \
	X(SEV_OFF, "APM vol. 2 §15.34", "SEV and SEV-ES are not asked for (the model has neither)") \
	X(NP_SUPPORTED, "APM vol. 2 §15.25.3", "nested paging is asked for only where supported") \
	X(NCR3_MAXPHYADDR, "APM vol. 2 §15.25.4", "nested_cr3 lies below 2^MAXPHYADDR")      \
	X(G_PAT_TYPES, "APM vol. 2 §15.25.8", "with nested paging, g_pat holds defined memory types only") \
	X(VNMI_NMI_INTERCEPT, "APM vol. 2 §15.21.10", "V_NMI_ENABLE is set only with the NMI intercept") \
	X(EVENTINJ, "APM vol. 2 §15.20", "EVENTINJ names an event possible in the guest's mode")

enum svm_vmrun_check {
#define SVM_CHECK_ID(id, section, rule) SVM_CC_##id,
	SVM_VMRUN_CHECKS(SVM_CHECK_ID)
#undef SVM_CHECK_ID
	SVM_CC_COUNT
};

#endif
