/* SPDX-License-Identifier: MIT */
/*
 * Names of #VMEXIT codes (APM vol. 2 appendix C, table C-1) and of event
 * types (§15.20, table 15-11), for failure messages and traces.
 */
#include "hv/svm.h"

static const char *const cr_read[16] = {
	"CR0_READ", "CR1_READ", "CR2_READ", "CR3_READ", "CR4_READ", "CR5_READ",
	"CR6_READ", "CR7_READ", "CR8_READ", "CR9_READ", "CR10_READ", "CR11_READ",
	"CR12_READ", "CR13_READ", "CR14_READ", "CR15_READ",
};
static const char *const cr_write[16] = {
	"CR0_WRITE", "CR1_WRITE", "CR2_WRITE", "CR3_WRITE", "CR4_WRITE", "CR5_WRITE",
	"CR6_WRITE", "CR7_WRITE", "CR8_WRITE", "CR9_WRITE", "CR10_WRITE", "CR11_WRITE",
	"CR12_WRITE", "CR13_WRITE", "CR14_WRITE", "CR15_WRITE",
};
static const char *const dr_read[16] = {
	"DR0_READ", "DR1_READ", "DR2_READ", "DR3_READ", "DR4_READ", "DR5_READ",
	"DR6_READ", "DR7_READ", "DR8_READ", "DR9_READ", "DR10_READ", "DR11_READ",
	"DR12_READ", "DR13_READ", "DR14_READ", "DR15_READ",
};
static const char *const dr_write[16] = {
	"DR0_WRITE", "DR1_WRITE", "DR2_WRITE", "DR3_WRITE", "DR4_WRITE", "DR5_WRITE",
	"DR6_WRITE", "DR7_WRITE", "DR8_WRITE", "DR9_WRITE", "DR10_WRITE", "DR11_WRITE",
	"DR12_WRITE", "DR13_WRITE", "DR14_WRITE", "DR15_WRITE",
};
static const char *const excp[32] = {
	"EXCP0 (#DE)", "EXCP1 (#DB)", "EXCP2 (NMI vector)", "EXCP3 (#BP)",
	"EXCP4 (#OF)", "EXCP5 (#BR)", "EXCP6 (#UD)", "EXCP7 (#NM)",
	"EXCP8 (#DF)", "EXCP9", "EXCP10 (#TS)", "EXCP11 (#NP)",
	"EXCP12 (#SS)", "EXCP13 (#GP)", "EXCP14 (#PF)", "EXCP15",
	"EXCP16 (#MF)", "EXCP17 (#AC)", "EXCP18 (#MC)", "EXCP19 (#XF)",
	"EXCP20", "EXCP21 (#CP)", "EXCP22", "EXCP23",
	"EXCP24", "EXCP25", "EXCP26", "EXCP27",
	"EXCP28 (#HV)", "EXCP29 (#VC)", "EXCP30 (#SX)", "EXCP31",
};
/* 0x060 .. 0x08f */
static const char *const misc[0x30] = {
	"INTR", "NMI", "SMI", "INIT", "VINTR", "CR0_SEL_WRITE", "IDTR_READ", "GDTR_READ",
	"LDTR_READ", "TR_READ", "IDTR_WRITE", "GDTR_WRITE", "LDTR_WRITE", "TR_WRITE",
	"RDTSC", "RDPMC",
	"PUSHF", "POPF", "CPUID", "RSM", "IRET", "SWINT", "INVD", "PAUSE",
	"HLT", "INVLPG", "INVLPGA", "IOIO", "MSR", "TASK_SWITCH", "FERR_FREEZE", "SHUTDOWN",
	"VMRUN", "VMMCALL", "VMLOAD", "VMSAVE", "STGI", "CLGI", "SKINIT", "RDTSCP",
	"ICEBP", "WBINVD", "MONITOR", "MWAIT", "MWAIT_CONDITIONAL", "XSETBV", "RDPRU",
	"EFER_WRITE_TRAP",
};
static const char *const cr_trap[16] = {
	"CR0_WRITE_TRAP", "CR1_WRITE_TRAP", "CR2_WRITE_TRAP", "CR3_WRITE_TRAP",
	"CR4_WRITE_TRAP", "CR5_WRITE_TRAP", "CR6_WRITE_TRAP", "CR7_WRITE_TRAP",
	"CR8_WRITE_TRAP", "CR9_WRITE_TRAP", "CR10_WRITE_TRAP", "CR11_WRITE_TRAP",
	"CR12_WRITE_TRAP", "CR13_WRITE_TRAP", "CR14_WRITE_TRAP", "CR15_WRITE_TRAP",
};

const char *svm_exit_name(uint64_t code)
{
	if (code == SVM_EXIT_ERR || code == 0xffffffffull)
		return "INVALID";
	if (code < 0x10)
		return cr_read[code];
	if (code < 0x20)
		return cr_write[code - 0x10];
	if (code < 0x30)
		return dr_read[code - 0x20];
	if (code < 0x40)
		return dr_write[code - 0x30];
	if (code < 0x60)
		return excp[code - 0x40];
	if (code < 0x90)
		return misc[code - 0x60];
	if (code < 0xa0)
		return cr_trap[code - 0x90];
	switch (code) {
	case 0x0a2:
		return "INVPCID";
	case 0x0a5:
		return "BUSLOCK";
	case 0x0a6:
		return "IDLE_HLT";
	case SVM_EXIT_NPF:
		return "NPF";
	case SVM_EXIT_AVIC_INCOMPLETE_IPI:
		return "AVIC_INCOMPLETE_IPI";
	case SVM_EXIT_AVIC_UNACCELERATED_ACCESS:
		return "AVIC_NOACCEL";
	case SVM_EXIT_VMGEXIT:
		return "VMGEXIT";
	}
	return "unknown";
}

const char *svm_event_type_name(uint32_t type)
{
	switch (type) {
	case 0:
		return "INTR";
	case 2:
		return "NMI";
	case 3:
		return "EXCEPTION";
	case 4:
		return "SOFT_INT";
	}
	return "reserved";
}
