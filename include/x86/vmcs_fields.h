/* SPDX-License-Identifier: MIT */
/*
 * The VMCS fields vxemu knows, as one list of (encoding, name) in the order
 * of SDM vol. 3D appendix B, and the meaning of an encoding's bits (SDM
 * vol. 3C §25.11.2): bit 0 the access type (full or high),
 * bits 9:1 the index, bits 11:10 the type, bit 12 reserved, bits 14:13 the
 * width. Only the full encoding of a 64-bit field is listed; its high half
 * is the encoding + 1.
 *
 * Who may include it: everyone. Freestanding.
 */
#ifndef X86_VMCS_FIELDS_H
#define X86_VMCS_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#define VMCS_FIELDS(X)                                 \
	/* B.1.1 16-bit control fields */              \
	X(0x0000, VIRTUAL_PROCESSOR_ID)                \
	/* B.1.2 16-bit guest-state fields */          \
	X(0x0800, GUEST_ES_SELECTOR)                   \
	X(0x0802, GUEST_CS_SELECTOR)                   \
	X(0x0804, GUEST_SS_SELECTOR)                   \
	X(0x0806, GUEST_DS_SELECTOR)                   \
	X(0x0808, GUEST_FS_SELECTOR)                   \
	X(0x080a, GUEST_GS_SELECTOR)                   \
	X(0x080c, GUEST_LDTR_SELECTOR)                 \
	X(0x080e, GUEST_TR_SELECTOR)                   \
	/* B.1.3 16-bit host-state fields */           \
	X(0x0c00, HOST_ES_SELECTOR)                    \
	X(0x0c02, HOST_CS_SELECTOR)                    \
	X(0x0c04, HOST_SS_SELECTOR)                    \
	X(0x0c06, HOST_DS_SELECTOR)                    \
	X(0x0c08, HOST_FS_SELECTOR)                    \
	X(0x0c0a, HOST_GS_SELECTOR)                    \
	X(0x0c0c, HOST_TR_SELECTOR)                    \
	/* B.2.1 64-bit control fields */              \
	X(0x2000, IO_BITMAP_A)                         \
	X(0x2002, IO_BITMAP_B)                         \
	X(0x2004, MSR_BITMAP)                          \
	X(0x2006, VM_EXIT_MSR_STORE_ADDR)              \
	X(0x2008, VM_EXIT_MSR_LOAD_ADDR)               \
	X(0x200a, VM_ENTRY_MSR_LOAD_ADDR)              \
	X(0x2010, TSC_OFFSET)                          \
	X(0x201a, EPT_POINTER)                         \
	/* B.2.2 64-bit read-only data field */        \
	X(0x2400, GUEST_PHYSICAL_ADDRESS)              \
	/* B.2.3 64-bit guest-state fields */          \
	X(0x2800, VMCS_LINK_POINTER)                   \
	X(0x2802, GUEST_IA32_DEBUGCTL)                 \
	X(0x2804, GUEST_IA32_PAT)                      \
	X(0x2806, GUEST_IA32_EFER)                     \
	X(0x280a, GUEST_PDPTE0)                        \
	X(0x280c, GUEST_PDPTE1)                        \
	X(0x280e, GUEST_PDPTE2)                        \
	X(0x2810, GUEST_PDPTE3)                        \
	/* B.2.4 64-bit host-state fields */           \
	X(0x2c00, HOST_IA32_PAT)                       \
	X(0x2c02, HOST_IA32_EFER)                      \
	/* B.3.1 32-bit control fields */              \
	X(0x4000, PIN_BASED_VM_EXEC_CONTROL)           \
	X(0x4002, CPU_BASED_VM_EXEC_CONTROL)           \
	X(0x4004, EXCEPTION_BITMAP)                    \
	X(0x4006, PAGE_FAULT_ERROR_CODE_MASK)          \
	X(0x4008, PAGE_FAULT_ERROR_CODE_MATCH)         \
	X(0x400a, CR3_TARGET_COUNT)                    \
	X(0x400c, VM_EXIT_CONTROLS)                    \
	X(0x400e, VM_EXIT_MSR_STORE_COUNT)             \
	X(0x4010, VM_EXIT_MSR_LOAD_COUNT)              \
	X(0x4012, VM_ENTRY_CONTROLS)                   \
	X(0x4014, VM_ENTRY_MSR_LOAD_COUNT)             \
	X(0x4016, VM_ENTRY_INTR_INFO_FIELD)            \
	X(0x4018, VM_ENTRY_EXCEPTION_ERROR_CODE)       \
	X(0x401a, VM_ENTRY_INSTRUCTION_LEN)            \
	X(0x401c, TPR_THRESHOLD)                       \
	X(0x401e, SECONDARY_VM_EXEC_CONTROL)           \
	/* B.3.2 32-bit read-only data fields */       \
	X(0x4400, VM_INSTRUCTION_ERROR)                \
	X(0x4402, VM_EXIT_REASON)                      \
	X(0x4404, VM_EXIT_INTR_INFO)                   \
	X(0x4406, VM_EXIT_INTR_ERROR_CODE)             \
	X(0x4408, IDT_VECTORING_INFO_FIELD)            \
	X(0x440a, IDT_VECTORING_ERROR_CODE)            \
	X(0x440c, VM_EXIT_INSTRUCTION_LEN)             \
	X(0x440e, VMX_INSTRUCTION_INFO)                \
	/* B.3.3 32-bit guest-state fields */          \
	X(0x4800, GUEST_ES_LIMIT)                      \
	X(0x4802, GUEST_CS_LIMIT)                      \
	X(0x4804, GUEST_SS_LIMIT)                      \
	X(0x4806, GUEST_DS_LIMIT)                      \
	X(0x4808, GUEST_FS_LIMIT)                      \
	X(0x480a, GUEST_GS_LIMIT)                      \
	X(0x480c, GUEST_LDTR_LIMIT)                    \
	X(0x480e, GUEST_TR_LIMIT)                      \
	X(0x4810, GUEST_GDTR_LIMIT)                    \
	X(0x4812, GUEST_IDTR_LIMIT)                    \
	X(0x4814, GUEST_ES_AR_BYTES)                   \
	X(0x4816, GUEST_CS_AR_BYTES)                   \
	X(0x4818, GUEST_SS_AR_BYTES)                   \
	X(0x481a, GUEST_DS_AR_BYTES)                   \
	X(0x481c, GUEST_FS_AR_BYTES)                   \
	X(0x481e, GUEST_GS_AR_BYTES)                   \
	X(0x4820, GUEST_LDTR_AR_BYTES)                 \
	X(0x4822, GUEST_TR_AR_BYTES)                   \
	X(0x4824, GUEST_INTERRUPTIBILITY_INFO)         \
	X(0x4826, GUEST_ACTIVITY_STATE)                \
	X(0x482a, GUEST_SYSENTER_CS)                   \
	X(0x482e, VMX_PREEMPTION_TIMER_VALUE)          \
	/* B.3.4 32-bit host-state field */            \
	X(0x4c00, HOST_IA32_SYSENTER_CS)               \
	/* B.4.1 natural-width control fields */       \
	X(0x6000, CR0_GUEST_HOST_MASK)                 \
	X(0x6002, CR4_GUEST_HOST_MASK)                 \
	X(0x6004, CR0_READ_SHADOW)                     \
	X(0x6006, CR4_READ_SHADOW)                     \
	X(0x6008, CR3_TARGET_VALUE0)                   \
	X(0x600a, CR3_TARGET_VALUE1)                   \
	X(0x600c, CR3_TARGET_VALUE2)                   \
	X(0x600e, CR3_TARGET_VALUE3)                   \
	/* B.4.2 natural-width read-only data fields */\
	X(0x6400, EXIT_QUALIFICATION)                  \
	X(0x6402, IO_RCX)                              \
	X(0x6404, IO_RSI)                              \
	X(0x6406, IO_RDI)                              \
	X(0x6408, IO_RIP)                              \
	X(0x640a, GUEST_LINEAR_ADDRESS)                \
	/* B.4.3 natural-width guest-state fields */   \
	X(0x6800, GUEST_CR0)                           \
	X(0x6802, GUEST_CR3)                           \
	X(0x6804, GUEST_CR4)                           \
	X(0x6806, GUEST_ES_BASE)                       \
	X(0x6808, GUEST_CS_BASE)                       \
	X(0x680a, GUEST_SS_BASE)                       \
	X(0x680c, GUEST_DS_BASE)                       \
	X(0x680e, GUEST_FS_BASE)                       \
	X(0x6810, GUEST_GS_BASE)                       \
	X(0x6812, GUEST_LDTR_BASE)                     \
	X(0x6814, GUEST_TR_BASE)                       \
	X(0x6816, GUEST_GDTR_BASE)                     \
	X(0x6818, GUEST_IDTR_BASE)                     \
	X(0x681a, GUEST_DR7)                           \
	X(0x681c, GUEST_RSP)                           \
	X(0x681e, GUEST_RIP)                           \
	X(0x6820, GUEST_RFLAGS)                        \
	X(0x6822, GUEST_PENDING_DBG_EXCEPTIONS)        \
	X(0x6824, GUEST_SYSENTER_ESP)                  \
	X(0x6826, GUEST_SYSENTER_EIP)                  \
	/* B.4.4 natural-width host-state fields */    \
	X(0x6c00, HOST_CR0)                            \
	X(0x6c02, HOST_CR3)                            \
	X(0x6c04, HOST_CR4)                            \
	X(0x6c06, HOST_FS_BASE)                        \
	X(0x6c08, HOST_GS_BASE)                        \
	X(0x6c0a, HOST_TR_BASE)                        \
	X(0x6c0c, HOST_GDTR_BASE)                      \
	X(0x6c0e, HOST_IDTR_BASE)                      \
	X(0x6c10, HOST_IA32_SYSENTER_ESP)              \
	X(0x6c12, HOST_IA32_SYSENTER_EIP)              \
	X(0x6c14, HOST_RSP)                            \
	X(0x6c16, HOST_RIP)

enum vmcs_field {
#define VMCS_FIELD_ENUM(enc, name) name = (enc),
	VMCS_FIELDS(VMCS_FIELD_ENUM)
#undef VMCS_FIELD_ENUM
};

enum {
#define VMCS_FIELD_ONE(enc, name) +1
	VMCS_FIELD_COUNT = 0 VMCS_FIELDS(VMCS_FIELD_ONE)
#undef VMCS_FIELD_ONE
};

/* Bits 14:13 of an encoding (SDM §25.11.2) */
enum vmcs_field_width {
	VMCS_WIDTH_16 = 0,
	VMCS_WIDTH_64 = 1,
	VMCS_WIDTH_32 = 2,
	VMCS_WIDTH_NATURAL = 3,
};

/* Bits 11:10 of an encoding (SDM §25.11.2) */
enum vmcs_field_type {
	VMCS_TYPE_CONTROL = 0,
	VMCS_TYPE_READ_ONLY = 1, /* VM-exit information */
	VMCS_TYPE_GUEST = 2,
	VMCS_TYPE_HOST = 3,
};

/* Bits that are 0 in every encoding: 31:15 and 12 (SDM §25.11.2). */
#define VMCS_ENCODING_RESERVED 0xffff9000u

static inline enum vmcs_field_width vmcs_field_width(uint32_t enc)
{
	return (enum vmcs_field_width)((enc >> 13) & 3u);
}

static inline enum vmcs_field_type vmcs_field_type(uint32_t enc)
{
	return (enum vmcs_field_type)((enc >> 10) & 3u);
}

static inline uint32_t vmcs_field_index(uint32_t enc)
{
	return (enc >> 1) & 0x1ffu;
}

/* Bit 0: the high 32 bits of a 64-bit field; for other widths it must be 0. */
static inline bool vmcs_field_is_high(uint32_t enc)
{
	return enc & 1u;
}

/* The same rules in a form _Static_assert can use. */
#define VMCS_ENC_WIDTH(enc) (((enc) >> 13) & 3u)
#define VMCS_ENC_TYPE(enc)  (((enc) >> 10) & 3u)
#define VMCS_ENC_INDEX(enc) (((enc) >> 1) & 0x1ffu)

_Static_assert(VMCS_ENC_WIDTH(GUEST_ACTIVITY_STATE) == VMCS_WIDTH_32 &&
		       VMCS_ENC_TYPE(GUEST_ACTIVITY_STATE) == VMCS_TYPE_GUEST,
	       "GUEST_ACTIVITY_STATE is a 32-bit guest-state field");
_Static_assert(VMCS_ENC_WIDTH(VMX_PREEMPTION_TIMER_VALUE) == VMCS_WIDTH_32 &&
		       VMCS_ENC_TYPE(VMX_PREEMPTION_TIMER_VALUE) == VMCS_TYPE_GUEST,
	       "the preemption-timer value is a 32-bit guest-state field");
_Static_assert(VMCS_ENC_WIDTH(VM_EXIT_REASON) == VMCS_WIDTH_32 &&
		       VMCS_ENC_TYPE(VM_EXIT_REASON) == VMCS_TYPE_READ_ONLY &&
		       VMCS_ENC_INDEX(VM_EXIT_REASON) == 1,
	       "VM_EXIT_REASON is 32-bit read-only data, index 1");
_Static_assert(VMCS_ENC_WIDTH(EXIT_QUALIFICATION) == VMCS_WIDTH_NATURAL &&
		       VMCS_ENC_TYPE(EXIT_QUALIFICATION) == VMCS_TYPE_READ_ONLY,
	       "EXIT_QUALIFICATION is natural-width read-only data");
_Static_assert(VMCS_ENC_WIDTH(EPT_POINTER) == VMCS_WIDTH_64 &&
		       VMCS_ENC_TYPE(EPT_POINTER) == VMCS_TYPE_CONTROL &&
		       VMCS_ENC_INDEX(EPT_POINTER) == 13,
	       "EPT_POINTER is a 64-bit control field, index 13");
_Static_assert(VMCS_ENC_WIDTH(VIRTUAL_PROCESSOR_ID) == VMCS_WIDTH_16 &&
		       VMCS_ENC_TYPE(VIRTUAL_PROCESSOR_ID) == VMCS_TYPE_CONTROL,
	       "VIRTUAL_PROCESSOR_ID is a 16-bit control field");
_Static_assert(VMCS_ENC_WIDTH(HOST_RIP) == VMCS_WIDTH_NATURAL &&
		       VMCS_ENC_TYPE(HOST_RIP) == VMCS_TYPE_HOST,
	       "HOST_RIP is a natural-width host-state field");
_Static_assert(VMCS_ENC_TYPE(GUEST_TR_SELECTOR) == VMCS_TYPE_GUEST &&
		       VMCS_ENC_INDEX(GUEST_TR_SELECTOR) == 7,
	       "GUEST_TR_SELECTOR is guest state, index 7");

#endif
