/* SPDX-License-Identifier: MIT */
/*
 * VMX architectural constants other than the VMCS field encodings
 * (x86/vmcs_fields.h): basic exit reasons, VM-instruction error numbers,
 * VM-execution, VM-exit and VM-entry control bits, activity and
 * interruptibility state, the interruption-information format, the
 * exit-qualification layouts and the segment access-rights format.
 *
 * Sections follow the Intel SDM vol. 3C editions in which chapter 25 is the
 * VMCS, 27 VM entries, 28 VM exits and 31 the VMX instruction reference;
 * older editions number each of these chapters one lower.
 *
 * Who may include it: everyone. Freestanding.
 */
#ifndef X86_VMX_H
#define X86_VMX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Basic exit reasons, bits 15:0 of the exit reason (SDM appendix C):
 * number, name, and what caused the exit.
 */
#define VMX_EXIT_REASONS(X)                                                        \
	X(0, EXCEPTION_NMI, "exception or non-maskable interrupt")                 \
	X(1, EXTERNAL_INTERRUPT, "external interrupt")                             \
	X(2, TRIPLE_FAULT, "triple fault")                                         \
	X(3, INIT_SIGNAL, "INIT signal")                                           \
	X(4, SIPI_SIGNAL, "start-up IPI")                                          \
	X(5, IO_SMI, "I/O system-management interrupt")                            \
	X(6, OTHER_SMI, "other SMI")                                               \
	X(7, INTERRUPT_WINDOW, "interrupt window")                                 \
	X(8, NMI_WINDOW, "NMI window")                                             \
	X(9, TASK_SWITCH, "task switch")                                           \
	X(10, CPUID, "CPUID")                                                      \
	X(11, GETSEC, "GETSEC")                                                    \
	X(12, HLT, "HLT")                                                          \
	X(13, INVD, "INVD")                                                        \
	X(14, INVLPG, "INVLPG")                                                    \
	X(15, RDPMC, "RDPMC")                                                      \
	X(16, RDTSC, "RDTSC")                                                      \
	X(17, RSM, "RSM")                                                          \
	X(18, VMCALL, "VMCALL")                                                    \
	X(19, VMCLEAR, "VMCLEAR")                                                  \
	X(20, VMLAUNCH, "VMLAUNCH")                                                \
	X(21, VMPTRLD, "VMPTRLD")                                                  \
	X(22, VMPTRST, "VMPTRST")                                                  \
	X(23, VMREAD, "VMREAD")                                                    \
	X(24, VMRESUME, "VMRESUME")                                                \
	X(25, VMWRITE, "VMWRITE")                                                  \
	X(26, VMXOFF, "VMXOFF")                                                    \
	X(27, VMXON, "VMXON")                                                      \
	X(28, CR_ACCESS, "control-register access")                                \
	X(29, DR_ACCESS, "MOV DR")                                                 \
	X(30, IO_INSTRUCTION, "I/O instruction")                                   \
	X(31, RDMSR, "RDMSR")                                                      \
	X(32, WRMSR, "WRMSR")                                                      \
	X(33, INVALID_GUEST_STATE, "VM-entry failure due to invalid guest state")  \
	X(34, MSR_LOADING, "VM-entry failure due to MSR loading")                  \
	X(36, MWAIT, "MWAIT")                                                      \
	X(37, MONITOR_TRAP_FLAG, "monitor trap flag")                              \
	X(39, MONITOR, "MONITOR")                                                  \
	X(40, PAUSE, "PAUSE")                                                      \
	X(41, MACHINE_CHECK, "VM-entry failure due to machine-check event")        \
	X(43, TPR_BELOW_THRESHOLD, "TPR below threshold")                          \
	X(44, APIC_ACCESS, "APIC access")                                          \
	X(45, VIRTUALIZED_EOI, "virtualized EOI")                                  \
	X(46, GDTR_IDTR_ACCESS, "access to GDTR or IDTR")                          \
	X(47, LDTR_TR_ACCESS, "access to LDTR or TR")                              \
	X(48, EPT_VIOLATION, "EPT violation")                                      \
	X(49, EPT_MISCONFIG, "EPT misconfiguration")                               \
	X(50, INVEPT, "INVEPT")                                                    \
	X(51, RDTSCP, "RDTSCP")                                                    \
	X(52, PREEMPTION_TIMER, "VMX-preemption timer expired")                    \
	X(53, INVVPID, "INVVPID")                                                  \
	X(54, WBINVD, "WBINVD or WBNOINVD")                                        \
	X(55, XSETBV, "XSETBV")                                                    \
	X(56, APIC_WRITE, "APIC write")                                            \
	X(57, RDRAND, "RDRAND")                                                    \
	X(58, INVPCID, "INVPCID")                                                  \
	X(59, VMFUNC, "VMFUNC")                                                    \
	X(60, ENCLS, "ENCLS")                                                      \
	X(61, RDSEED, "RDSEED")                                                    \
	X(62, PML_FULL, "page-modification log full")                              \
	X(63, XSAVES, "XSAVES")                                                    \
	X(64, XRSTORS, "XRSTORS")                                                  \
	X(67, UMWAIT, "UMWAIT")                                                    \
	X(68, TPAUSE, "TPAUSE")                                                    \
	X(74, BUS_LOCK, "bus lock")                                                \
	X(75, NOTIFY, "notify window")

enum vmx_exit_reason {
#define VMX_EXIT_ENUM(num, name, text) VMX_EXIT_##name = (num),
	VMX_EXIT_REASONS(VMX_EXIT_ENUM)
#undef VMX_EXIT_ENUM
};

/* Exit reason bit 31: the exit is a VM-entry failure (SDM §25.9.1). */
#define VMX_EXIT_REASON_FAILED_VMENTRY  0x80000000u
#define VMX_EXIT_REASON_BASIC_MASK      0x0000ffffu

/* The name of a basic exit reason, or NULL for a number the SDM does not define. */
static inline const char *vmx_exit_reason_name(uint32_t reason)
{
	switch (reason & VMX_EXIT_REASON_BASIC_MASK) {
#define VMX_EXIT_CASE(num, name, text) case (num): return #name;
	VMX_EXIT_REASONS(VMX_EXIT_CASE)
#undef VMX_EXIT_CASE
	default:
		return NULL;
	}
}

/*
 * Exit qualification of a VM-entry failure during or after loading guest
 * state (SDM §27.8): 0 by default, 2 for the PDPTEs, 3 for an NMI injected
 * with blocking by STI, 4 for the VMCS link pointer. A failure while
 * loading MSRs gives the 1-based index of the entry instead (§27.4).
 */
#define VMX_ENTRY_FAIL_DEFAULT   0u
#define VMX_ENTRY_FAIL_PDPTE     2u
#define VMX_ENTRY_FAIL_NMI       3u
#define VMX_ENTRY_FAIL_LINK_PTR  4u

/*
 * VM-instruction error numbers (SDM table 31-1): number, name, and the
 * table's own description.
 */
#define VMX_INSN_ERRORS(X)                                                                       \
	X(1, VMCALL_IN_ROOT, "VMCALL executed in VMX root operation")                           \
	X(2, VMCLEAR_INVALID_ADDRESS, "VMCLEAR with invalid physical address")                  \
	X(3, VMCLEAR_VMXON_POINTER, "VMCLEAR with VMXON pointer")                               \
	X(4, VMLAUNCH_NONCLEAR_VMCS, "VMLAUNCH with non-clear VMCS")                            \
	X(5, VMRESUME_NONLAUNCHED_VMCS, "VMRESUME with non-launched VMCS")                      \
	X(6, VMRESUME_AFTER_VMXOFF, "VMRESUME after VMXOFF")                                    \
	X(7, ENTRY_INVALID_CONTROL_FIELD, "VM entry with invalid control field(s)")             \
	X(8, ENTRY_INVALID_HOST_STATE_FIELD, "VM entry with invalid host-state field(s)")       \
	X(9, VMPTRLD_INVALID_ADDRESS, "VMPTRLD with invalid physical address")                  \
	X(10, VMPTRLD_VMXON_POINTER, "VMPTRLD with VMXON pointer")                              \
	X(11, VMPTRLD_INCORRECT_REVISION, "VMPTRLD with incorrect VMCS revision identifier")    \
	X(12, UNSUPPORTED_VMCS_COMPONENT, "VMREAD/VMWRITE from/to unsupported VMCS component")  \
	X(13, VMWRITE_READ_ONLY_COMPONENT, "VMWRITE to read-only VMCS component")               \
	X(15, VMXON_IN_ROOT, "VMXON executed in VMX root operation")                            \
	X(16, ENTRY_INVALID_EXECUTIVE_VMCS_POINTER, "VM entry with invalid executive-VMCS pointer") \
	X(17, ENTRY_NONLAUNCHED_EXECUTIVE_VMCS, "VM entry with non-launched executive VMCS")    \
	X(18, ENTRY_EXECUTIVE_VMCS_NOT_VMXON_POINTER,                                           \
	  "VM entry with executive-VMCS pointer not VMXON pointer")                             \
	X(19, VMCALL_NONCLEAR_VMCS, "VMCALL with non-clear VMCS")                               \
	X(20, VMCALL_INVALID_EXIT_CONTROL_FIELDS, "VMCALL with invalid VM-exit control fields") \
	X(22, VMCALL_INCORRECT_MSEG_REVISION, "VMCALL with incorrect MSEG revision identifier") \
	X(23, VMXOFF_DUAL_MONITOR, "VMXOFF under dual-monitor treatment of SMIs and SMM")       \
	X(24, VMCALL_INVALID_SMM_MONITOR_FEATURES, "VMCALL with invalid SMM-monitor features")  \
	X(25, ENTRY_INVALID_EXECUTIVE_CONTROLS,                                                 \
	  "VM entry with invalid VM-execution control fields in executive VMCS")                \
	X(26, ENTRY_EVENTS_BLOCKED_BY_MOV_SS, "VM entry with events blocked by MOV SS")         \
	X(28, INVEPT_INVVPID_INVALID_OPERAND, "Invalid operand to INVEPT/INVVPID")

enum vmx_insn_error {
#define VMX_INSN_ERROR_ENUM(num, name, text) VMXERR_##name = (num),
	VMX_INSN_ERRORS(VMX_INSN_ERROR_ENUM)
#undef VMX_INSN_ERROR_ENUM
};

/* The table's description of an error number, or NULL for an unassigned one. */
static inline const char *vmx_insn_error_text(uint32_t error)
{
	switch (error) {
#define VMX_INSN_ERROR_CASE(num, name, text) case (num): return text;
	VMX_INSN_ERRORS(VMX_INSN_ERROR_CASE)
#undef VMX_INSN_ERROR_CASE
	default:
		return NULL;
	}
}

/* Pin-based VM-execution controls (SDM §25.6.1) */
#define PIN_BASED_EXTERNAL_INTERRUPT_EXITING (1u << 0)
#define PIN_BASED_NMI_EXITING                (1u << 3)
#define PIN_BASED_VIRTUAL_NMIS               (1u << 5)
#define PIN_BASED_VMX_PREEMPTION_TIMER       (1u << 6)
#define PIN_BASED_POSTED_INTERRUPTS          (1u << 7)

/* Primary processor-based VM-execution controls (SDM §25.6.2) */
#define CPU_BASED_INTERRUPT_WINDOW_EXITING   (1u << 2)
#define CPU_BASED_USE_TSC_OFFSETTING         (1u << 3)
#define CPU_BASED_HLT_EXITING                (1u << 7)
#define CPU_BASED_INVLPG_EXITING             (1u << 9)
#define CPU_BASED_MWAIT_EXITING              (1u << 10)
#define CPU_BASED_RDPMC_EXITING              (1u << 11)
#define CPU_BASED_RDTSC_EXITING              (1u << 12)
#define CPU_BASED_CR3_LOAD_EXITING           (1u << 15)
#define CPU_BASED_CR3_STORE_EXITING          (1u << 16)
#define CPU_BASED_ACTIVATE_TERTIARY_CONTROLS (1u << 17)
#define CPU_BASED_CR8_LOAD_EXITING           (1u << 19)
#define CPU_BASED_CR8_STORE_EXITING          (1u << 20)
#define CPU_BASED_USE_TPR_SHADOW             (1u << 21)
#define CPU_BASED_NMI_WINDOW_EXITING         (1u << 22)
#define CPU_BASED_MOV_DR_EXITING             (1u << 23)
#define CPU_BASED_UNCONDITIONAL_IO_EXITING   (1u << 24)
#define CPU_BASED_USE_IO_BITMAPS             (1u << 25)
#define CPU_BASED_MONITOR_TRAP_FLAG          (1u << 27)
#define CPU_BASED_USE_MSR_BITMAPS            (1u << 28)
#define CPU_BASED_MONITOR_EXITING            (1u << 29)
#define CPU_BASED_PAUSE_EXITING              (1u << 30)
#define CPU_BASED_ACTIVATE_SECONDARY_CONTROLS (1u << 31)

/* Secondary processor-based VM-execution controls (SDM §25.6.2) */
#define SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES    (1u << 0)
#define SECONDARY_EXEC_ENABLE_EPT                  (1u << 1)
#define SECONDARY_EXEC_DESCRIPTOR_TABLE_EXITING    (1u << 2)
#define SECONDARY_EXEC_ENABLE_RDTSCP               (1u << 3)
#define SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE      (1u << 4)
#define SECONDARY_EXEC_ENABLE_VPID                 (1u << 5)
#define SECONDARY_EXEC_WBINVD_EXITING              (1u << 6)
#define SECONDARY_EXEC_UNRESTRICTED_GUEST          (1u << 7)
#define SECONDARY_EXEC_APIC_REGISTER_VIRTUALIZATION (1u << 8)
#define SECONDARY_EXEC_VIRTUAL_INTERRUPT_DELIVERY  (1u << 9)
#define SECONDARY_EXEC_PAUSE_LOOP_EXITING          (1u << 10)
#define SECONDARY_EXEC_RDRAND_EXITING              (1u << 11)
#define SECONDARY_EXEC_ENABLE_INVPCID              (1u << 12)
#define SECONDARY_EXEC_ENABLE_VM_FUNCTIONS         (1u << 13)
#define SECONDARY_EXEC_VMCS_SHADOWING              (1u << 14)
#define SECONDARY_EXEC_ENCLS_EXITING               (1u << 15)
#define SECONDARY_EXEC_RDSEED_EXITING              (1u << 16)
#define SECONDARY_EXEC_ENABLE_PML                  (1u << 17)
#define SECONDARY_EXEC_EPT_VIOLATION_VE            (1u << 18)
#define SECONDARY_EXEC_ENABLE_XSAVES               (1u << 20)
#define SECONDARY_EXEC_MODE_BASED_EPT_EXEC         (1u << 22)
#define SECONDARY_EXEC_USE_TSC_SCALING             (1u << 25)

/* VM-exit controls (SDM §25.7.1) */
#define VM_EXIT_SAVE_DEBUG_CONTROLS            (1u << 2)
#define VM_EXIT_HOST_ADDRESS_SPACE_SIZE        (1u << 9)
#define VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL     (1u << 12)
#define VM_EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT  (1u << 15)
#define VM_EXIT_SAVE_IA32_PAT                  (1u << 18)
#define VM_EXIT_LOAD_IA32_PAT                  (1u << 19)
#define VM_EXIT_SAVE_IA32_EFER                 (1u << 20)
#define VM_EXIT_LOAD_IA32_EFER                 (1u << 21)
#define VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE (1u << 22)

/* VM-entry controls (SDM §25.8.1) */
#define VM_ENTRY_LOAD_DEBUG_CONTROLS           (1u << 2)
#define VM_ENTRY_IA32E_MODE_GUEST              (1u << 9)
#define VM_ENTRY_ENTRY_TO_SMM                  (1u << 10)
#define VM_ENTRY_DEACTIVATE_DUAL_MONITOR       (1u << 11)
#define VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL    (1u << 13)
#define VM_ENTRY_LOAD_IA32_PAT                 (1u << 14)
#define VM_ENTRY_LOAD_IA32_EFER                (1u << 15)

/*
 * The "default1" class of each control word (SDM appendix A.2): bits that
 * the non-TRUE capability MSRs report as fixed to 1. The secondary
 * processor-based controls have none.
 */
#define PIN_BASED_DEFAULT1  0x00000016u /* bits 1, 2, 4 */
#define CPU_BASED_DEFAULT1  0x0401e172u /* bits 1, 4-6, 8, 13-16, 26 */
#define VM_EXIT_DEFAULT1    0x00036dffu /* bits 0-8, 10, 11, 13, 14, 16, 17 */
#define VM_ENTRY_DEFAULT1   0x000011ffu /* bits 0-8, 12 */

/*
 * A control word against its capability MSR (SDM appendix A.3-A.5): a bit
 * set in bits 31:0 (allowed-0 settings) must be 1 in the control, a bit
 * clear in bits 63:32 (allowed-1 settings) must be 0.
 */
static inline int vmx_ctls_valid(uint64_t cap_msr, uint32_t ctls)
{
	uint32_t must1 = (uint32_t)cap_msr, may1 = (uint32_t)(cap_msr >> 32);

	return (ctls & must1) == must1 && !(ctls & ~may1);
}

/* Guest activity state, GUEST_ACTIVITY_STATE (SDM §25.4.2) */
enum vmx_activity_state {
	GUEST_ACTIVITY_ACTIVE = 0,
	GUEST_ACTIVITY_HLT = 1,
	GUEST_ACTIVITY_SHUTDOWN = 2,
	GUEST_ACTIVITY_WAIT_SIPI = 3,
};

/* Guest interruptibility state, GUEST_INTERRUPTIBILITY_INFO (SDM §25.4.2) */
#define GUEST_INTR_STATE_STI      (1u << 0)
#define GUEST_INTR_STATE_MOV_SS   (1u << 1)
#define GUEST_INTR_STATE_SMI      (1u << 2)
#define GUEST_INTR_STATE_NMI      (1u << 3)
#define GUEST_INTR_STATE_ENCLAVE  (1u << 4)

/* Pending debug exceptions, GUEST_PENDING_DBG_EXCEPTIONS (SDM §25.4.2) */
#define GUEST_PENDING_DBG_B0_B3         0xfull
#define GUEST_PENDING_DBG_ENABLED_BP    (1ull << 12)
#define GUEST_PENDING_DBG_BS            (1ull << 14)
#define GUEST_PENDING_DBG_RTM           (1ull << 16)

/*
 * Interruption-information format of VM_ENTRY_INTR_INFO_FIELD,
 * VM_EXIT_INTR_INFO and IDT_VECTORING_INFO_FIELD (SDM §25.8.3, §25.9.2).
 * Bit 12 is defined on exit only.
 */
#define INTR_INFO_VECTOR_MASK        0x000000ffu
#define INTR_INFO_TYPE_SHIFT         8
#define INTR_INFO_TYPE_MASK          0x00000700u
#define INTR_INFO_DELIVER_CODE       (1u << 11)
#define INTR_INFO_NMI_UNBLOCKING_IRET (1u << 12)
#define INTR_INFO_RESERVED_ENTRY     0x7ffff000u /* bits 30:12 on entry */
#define INTR_INFO_VALID              (1u << 31)

enum vmx_intr_type {
	INTR_TYPE_EXTERNAL_INTERRUPT = 0,
	INTR_TYPE_NMI = 2,
	INTR_TYPE_HARDWARE_EXCEPTION = 3,
	INTR_TYPE_SOFTWARE_INTERRUPT = 4,
	INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION = 5,
	INTR_TYPE_SOFTWARE_EXCEPTION = 6,
	INTR_TYPE_OTHER_EVENT = 7,
};

static inline uint32_t vmx_intr_info(uint32_t type, uint32_t vector)
{
	return INTR_INFO_VALID | (type << INTR_INFO_TYPE_SHIFT) | (vector & INTR_INFO_VECTOR_MASK);
}

/* Exit qualification for control-register accesses (SDM §28.2.1, table 28-3) */
#define EXIT_QUAL_CR_NUMBER_MASK      0xfull
#define EXIT_QUAL_CR_ACCESS_TYPE_SHIFT 4
#define EXIT_QUAL_CR_ACCESS_TYPE_MASK (3ull << 4)
#define EXIT_QUAL_CR_LMSW_MEMORY      (1ull << 6)
#define EXIT_QUAL_CR_GPR_SHIFT        8
#define EXIT_QUAL_CR_GPR_MASK         (0xfull << 8)
#define EXIT_QUAL_CR_LMSW_DATA_SHIFT  16
#define EXIT_QUAL_CR_LMSW_DATA_MASK   (0xffffull << 16)
enum vmx_cr_access_type {
	CR_ACCESS_MOV_TO_CR = 0,
	CR_ACCESS_MOV_FROM_CR = 1,
	CR_ACCESS_CLTS = 2,
	CR_ACCESS_LMSW = 3,
};

/* Exit qualification for MOV DR (SDM §28.2.1, table 28-4) */
#define EXIT_QUAL_DR_NUMBER_MASK      0x7ull
#define EXIT_QUAL_DR_FROM_DR          (1ull << 4)
#define EXIT_QUAL_DR_GPR_SHIFT        8
#define EXIT_QUAL_DR_GPR_MASK         (0xfull << 8)

/* Exit qualification for I/O instructions (SDM §28.2.1, table 28-5) */
#define EXIT_QUAL_IO_SIZE_MASK        0x7ull /* 0: 1 byte, 1: 2 bytes, 3: 4 bytes */
#define EXIT_QUAL_IO_IN               (1ull << 3)
#define EXIT_QUAL_IO_STRING           (1ull << 4)
#define EXIT_QUAL_IO_REP              (1ull << 5)
#define EXIT_QUAL_IO_IMMEDIATE        (1ull << 6)
#define EXIT_QUAL_IO_PORT_SHIFT       16
#define EXIT_QUAL_IO_PORT_MASK        (0xffffull << 16)

/* Exit qualification for EPT violations (SDM §28.2.1, table 28-7) */
#define EPT_VIOLATION_DATA_READ        (1ull << 0)
#define EPT_VIOLATION_DATA_WRITE       (1ull << 1)
#define EPT_VIOLATION_INSN_FETCH       (1ull << 2)
#define EPT_VIOLATION_READABLE         (1ull << 3)
#define EPT_VIOLATION_WRITABLE         (1ull << 4)
#define EPT_VIOLATION_EXECUTABLE       (1ull << 5)
#define EPT_VIOLATION_USER_EXECUTABLE  (1ull << 6)
#define EPT_VIOLATION_GLA_VALID        (1ull << 7)
#define EPT_VIOLATION_GLA_TRANSLATED   (1ull << 8)
#define EPT_VIOLATION_NMI_UNBLOCKING_IRET (1ull << 12)

/* Exit qualification for a SIPI (SDM §28.2.1): the vector. */
#define EXIT_QUAL_SIPI_VECTOR_MASK     0xffull

/*
 * Segment access rights in the VMCS (SDM §25.4.1): the
 * descriptor's attribute bits, bit 16 "segment unusable", the rest reserved.
 */
#define VMX_AR_TYPE_MASK     0x0000000fu
#define VMX_AR_S             (1u << 4)
#define VMX_AR_DPL_SHIFT     5
#define VMX_AR_DPL_MASK      (3u << 5)
#define VMX_AR_P             (1u << 7)
#define VMX_AR_AVL           (1u << 12)
#define VMX_AR_L             (1u << 13)
#define VMX_AR_DB            (1u << 14)
#define VMX_AR_G             (1u << 15)
#define VMX_AR_UNUSABLE      (1u << 16)
#define VMX_AR_RESERVED      0xfffe0f00u /* bits 11:8 and 31:17 */

/* An entry of a VM-exit MSR-store, VM-exit MSR-load or VM-entry MSR-load list (SDM §25.7.2). */
struct vmx_msr_entry {
	uint32_t index;
	uint32_t reserved;
	uint64_t value;
};
_Static_assert(offsetof(struct vmx_msr_entry, index) == 0, "vmx_msr_entry.index");
_Static_assert(offsetof(struct vmx_msr_entry, reserved) == 4, "vmx_msr_entry.reserved");
_Static_assert(offsetof(struct vmx_msr_entry, value) == 8, "vmx_msr_entry.value");
_Static_assert(sizeof(struct vmx_msr_entry) == 16, "vmx_msr_entry is 16 bytes");

/* IA32_VMX_BASIC (SDM appendix A.1) */
#define VMX_BASIC_REVISION_MASK        0x7fffffffull
#define VMX_BASIC_VMCS_SIZE_SHIFT      32
#define VMX_BASIC_VMCS_SIZE_MASK       (0x1fffull << 32)
#define VMX_BASIC_32BIT_PHYS_ADDR      (1ull << 48)
#define VMX_BASIC_DUAL_MONITOR         (1ull << 49)
#define VMX_BASIC_MEM_TYPE_SHIFT       50
#define VMX_BASIC_MEM_TYPE_MASK        (0xfull << 50)
#define VMX_BASIC_INOUT                (1ull << 54)
#define VMX_BASIC_TRUE_CTLS            (1ull << 55)
#define VMX_BASIC_NO_HW_ERROR_CODE_CHECK (1ull << 56)
/* Memory type encodings (SDM vol. 3A, "Memory Types"), as BASIC, EPTP and PAT use them */
#define X86_MEMTYPE_UC 0u
#define X86_MEMTYPE_WC 1u
#define X86_MEMTYPE_WT 4u
#define X86_MEMTYPE_WP 5u
#define X86_MEMTYPE_WB 6u
#define X86_MEMTYPE_UC_MINUS 7u

/* IA32_VMX_MISC (SDM appendix A.6) */
#define VMX_MISC_PREEMPTION_TIMER_RATE_MASK 0x1full
#define VMX_MISC_SAVE_EFER_LMA         (1ull << 5)
#define VMX_MISC_ACTIVITY_HLT          (1ull << 6)
#define VMX_MISC_ACTIVITY_SHUTDOWN     (1ull << 7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI    (1ull << 8)
#define VMX_MISC_PT_IN_VMX             (1ull << 14)
#define VMX_MISC_RDMSR_SMBASE_IN_SMM   (1ull << 15)
#define VMX_MISC_CR3_TARGET_COUNT_SHIFT 16
#define VMX_MISC_CR3_TARGET_COUNT_MASK (0x1ffull << 16)
#define VMX_MISC_MAX_MSR_LIST_SHIFT    25
#define VMX_MISC_MAX_MSR_LIST_MASK     (0x7ull << 25)
#define VMX_MISC_VMXOFF_UNBLOCKS_SMI   (1ull << 28)
#define VMX_MISC_VMWRITE_ANY_FIELD     (1ull << 29)
#define VMX_MISC_ZERO_LEN_INJECTION    (1ull << 30)
#define VMX_MISC_MSEG_REVISION_SHIFT   32

/* IA32_VMX_EPT_VPID_CAP (SDM appendix A.10) */
#define VMX_EPT_EXECUTE_ONLY           (1ull << 0)
#define VMX_EPT_PAGE_WALK_4            (1ull << 6)
#define VMX_EPT_PAGE_WALK_5            (1ull << 7)
#define VMX_EPT_MEMTYPE_UC             (1ull << 8)
#define VMX_EPT_MEMTYPE_WB             (1ull << 14)
#define VMX_EPT_2MB_PAGE               (1ull << 16)
#define VMX_EPT_1GB_PAGE               (1ull << 17)
#define VMX_EPT_INVEPT                 (1ull << 20)
#define VMX_EPT_AD                     (1ull << 21)
#define VMX_EPT_ADVANCED_VIOLATION_INFO (1ull << 22)
#define VMX_EPT_INVEPT_SINGLE_CONTEXT  (1ull << 25)
#define VMX_EPT_INVEPT_ALL_CONTEXT     (1ull << 26)
#define VMX_VPID_INVVPID               (1ull << 32)
#define VMX_VPID_INVVPID_INDIVIDUAL_ADDR (1ull << 40)
#define VMX_VPID_INVVPID_SINGLE_CONTEXT (1ull << 41)
#define VMX_VPID_INVVPID_ALL_CONTEXT   (1ull << 42)
#define VMX_VPID_INVVPID_SINGLE_CONTEXT_NOGLOBALS (1ull << 43)

/* EPT pointer, EPT_POINTER (SDM §25.6.11) */
#define VMX_EPTP_MEMTYPE_MASK          0x7ull
#define VMX_EPTP_WALK_LENGTH_SHIFT     3
#define VMX_EPTP_WALK_LENGTH_MASK      (0x7ull << 3) /* page-walk length - 1 */
#define VMX_EPTP_AD_ENABLE             (1ull << 6)
/* Bits 11:8 are reserved; bit 7 too on a processor without CET, as the model. */
#define VMX_EPTP_RESERVED_LOW          0xf80ull

#endif
