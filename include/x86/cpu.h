/* SPDX-License-Identifier: MIT */
/*
 * Architectural constants of the x86 processor that are not specific to SVM or
 * VMX: control-register and flag bits, exception vectors, descriptor formats.
 * Freestanding; included by every part of vxemu (hv/, emu/, the models, hw/).
 */
#ifndef X86_CPU_H
#define X86_CPU_H

#include <stdint.h>

/* CR0 (APM vol. 2 §3.1.1, SDM vol. 3 §2.5) */
#define X86_CR0_PE (1ull << 0)
#define X86_CR0_MP (1ull << 1)
#define X86_CR0_EM (1ull << 2)
#define X86_CR0_TS (1ull << 3)
#define X86_CR0_ET (1ull << 4)
#define X86_CR0_NE (1ull << 5)
#define X86_CR0_WP (1ull << 16)
#define X86_CR0_AM (1ull << 18)
#define X86_CR0_NW (1ull << 29)
#define X86_CR0_CD (1ull << 30)
#define X86_CR0_PG (1ull << 31)

/* CR4 */
#define X86_CR4_VME        (1ull << 0)
#define X86_CR4_PVI        (1ull << 1)
#define X86_CR4_TSD        (1ull << 2)
#define X86_CR4_DE         (1ull << 3)
#define X86_CR4_PSE        (1ull << 4)
#define X86_CR4_PAE        (1ull << 5)
#define X86_CR4_MCE        (1ull << 6)
#define X86_CR4_PGE        (1ull << 7)
#define X86_CR4_PCE        (1ull << 8)
#define X86_CR4_OSFXSR     (1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_CR4_UMIP       (1ull << 11)
#define X86_CR4_LA57       (1ull << 12)
#define X86_CR4_VMXE       (1ull << 13)
#define X86_CR4_SMXE       (1ull << 14)
#define X86_CR4_FSGSBASE   (1ull << 16)
#define X86_CR4_PCIDE      (1ull << 17)
#define X86_CR4_OSXSAVE    (1ull << 18)
#define X86_CR4_SMEP       (1ull << 20)
#define X86_CR4_SMAP       (1ull << 21)
#define X86_CR4_PKE        (1ull << 22)
#define X86_CR4_CET        (1ull << 23)

/* EFER, MSR C000_0080h (APM vol. 2 §3.1.7) */
#define X86_EFER_SCE   (1ull << 0)
#define X86_EFER_LME   (1ull << 8)
#define X86_EFER_LMA   (1ull << 10)
#define X86_EFER_NXE   (1ull << 11)
#define X86_EFER_SVME  (1ull << 12)
#define X86_EFER_LMSLE (1ull << 13)
#define X86_EFER_FFXSR (1ull << 14)
#define X86_EFER_TCE   (1ull << 15)

/* RFLAGS */
#define X86_RFLAGS_CF   (1ull << 0)
#define X86_RFLAGS_FIXED (1ull << 1)
#define X86_RFLAGS_PF   (1ull << 2)
#define X86_RFLAGS_AF   (1ull << 4)
#define X86_RFLAGS_ZF   (1ull << 6)
#define X86_RFLAGS_SF   (1ull << 7)
#define X86_RFLAGS_TF   (1ull << 8)
#define X86_RFLAGS_IF   (1ull << 9)
#define X86_RFLAGS_DF   (1ull << 10)
#define X86_RFLAGS_OF   (1ull << 11)
#define X86_RFLAGS_IOPL (3ull << 12)
#define X86_RFLAGS_NT   (1ull << 14)
#define X86_RFLAGS_RF   (1ull << 16)
#define X86_RFLAGS_VM   (1ull << 17)
#define X86_RFLAGS_AC   (1ull << 18)
#define X86_RFLAGS_VIF  (1ull << 19)
#define X86_RFLAGS_VIP  (1ull << 20)
#define X86_RFLAGS_ID   (1ull << 21)

/* Exception vectors (APM vol. 2 §8.2, table 8-1) */
enum x86_vector {
	X86_VEC_DE = 0,
	X86_VEC_DB = 1,
	X86_VEC_NMI = 2,
	X86_VEC_BP = 3,
	X86_VEC_OF = 4,
	X86_VEC_BR = 5,
	X86_VEC_UD = 6,
	X86_VEC_NM = 7,
	X86_VEC_DF = 8,
	X86_VEC_TS = 10,
	X86_VEC_NP = 11,
	X86_VEC_SS = 12,
	X86_VEC_GP = 13,
	X86_VEC_PF = 14,
	X86_VEC_MF = 16,
	X86_VEC_AC = 17,
	X86_VEC_MC = 18,
	X86_VEC_XM = 19,
	X86_VEC_VE = 20,
	X86_VEC_CP = 21,
	X86_VEC_HV = 28,
	X86_VEC_VC = 29,
	X86_VEC_SX = 30,
};

/* #PF error code bits (APM vol. 2 §8.4.2) */
#define X86_PF_P    (1u << 0)
#define X86_PF_W    (1u << 1)
#define X86_PF_U    (1u << 2)
#define X86_PF_RSV  (1u << 3)
#define X86_PF_ID   (1u << 4)

/* Page-table entry bits, common to legacy, PAE and long-mode paging. */
#define X86_PTE_P   (1ull << 0)
#define X86_PTE_W   (1ull << 1)
#define X86_PTE_U   (1ull << 2)
#define X86_PTE_PWT (1ull << 3)
#define X86_PTE_PCD (1ull << 4)
#define X86_PTE_A   (1ull << 5)
#define X86_PTE_D   (1ull << 6)
#define X86_PTE_PS  (1ull << 7)
#define X86_PTE_G   (1ull << 8)
#define X86_PTE_NX  (1ull << 63)

/*
 * Segment descriptor attributes in the VMCB's packed 12-bit form (APM vol. 2
 * §15.5.1, "SVM_SELECTOR_*"): type 3:0, S 4, DPL 6:5, P 7, AVL 8, L 9, D/B 10,
 * G 11. The same packing is used throughout vxemu for hidden segment state.
 */
#define X86_SEG_TYPE_MASK 0x00fu
#define X86_SEG_S   (1u << 4)
#define X86_SEG_DPL_SHIFT 5
#define X86_SEG_P   (1u << 7)
#define X86_SEG_AVL (1u << 8)
#define X86_SEG_L   (1u << 9)
#define X86_SEG_DB  (1u << 10)
#define X86_SEG_G   (1u << 11)

/* A segment register with its hidden part, as a processor holds it: the
 * attributes in the packed form above, the limit expanded to bytes. */
struct x86_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

/* Code/data segment type values (S = 1) used by the guest builders. */
#define X86_SEG_TYPE_DATA_RW_A 0x3u
#define X86_SEG_TYPE_CODE_RX_A 0xbu
/* System segment types (S = 0) */
#define X86_SEG_TYPE_LDT       0x2u
#define X86_SEG_TYPE_TSS64_BUSY 0xbu
#define X86_SEG_TYPE_INTR_GATE 0xeu
#define X86_SEG_TYPE_TRAP_GATE 0xfu

#endif
