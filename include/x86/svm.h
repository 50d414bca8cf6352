/* SPDX-License-Identifier: MIT */
/*
 * SVM architectural constants other than the VMCB layout: #VMEXIT codes
 * (APM vol. 2 appendix C), exit-information formats, and the CPUID bits that
 * advertise SVM features. Freestanding; included by every part of vxemu.
 */
#ifndef X86_SVM_H
#define X86_SVM_H

#include <stdint.h>

/* #VMEXIT codes (APM vol. 2 table C-1) */
#define SVM_EXIT_READ_CR0   0x000u
#define SVM_EXIT_READ_CR3   0x003u
#define SVM_EXIT_READ_CR4   0x004u
#define SVM_EXIT_READ_CR8   0x008u
#define SVM_EXIT_WRITE_CR0  0x010u
#define SVM_EXIT_WRITE_CR3  0x013u
#define SVM_EXIT_WRITE_CR4  0x014u
#define SVM_EXIT_WRITE_CR8  0x018u
#define SVM_EXIT_READ_DR0   0x020u
#define SVM_EXIT_READ_DR7   0x027u
#define SVM_EXIT_WRITE_DR0  0x030u
#define SVM_EXIT_WRITE_DR7  0x037u
#define SVM_EXIT_EXCP_BASE  0x040u
#define SVM_EXIT_INTR       0x060u
#define SVM_EXIT_NMI        0x061u
#define SVM_EXIT_SMI        0x062u
#define SVM_EXIT_INIT       0x063u
#define SVM_EXIT_VINTR      0x064u
#define SVM_EXIT_CR0_SEL_WRITE 0x065u
#define SVM_EXIT_IDTR_READ  0x066u
#define SVM_EXIT_GDTR_READ  0x067u
#define SVM_EXIT_LDTR_READ  0x068u
#define SVM_EXIT_TR_READ    0x069u
#define SVM_EXIT_IDTR_WRITE 0x06au
#define SVM_EXIT_GDTR_WRITE 0x06bu
#define SVM_EXIT_LDTR_WRITE 0x06cu
#define SVM_EXIT_TR_WRITE   0x06du
#define SVM_EXIT_RDTSC      0x06eu
#define SVM_EXIT_RDPMC      0x06fu
#define SVM_EXIT_PUSHF      0x070u
#define SVM_EXIT_POPF       0x071u
#define SVM_EXIT_CPUID      0x072u
#define SVM_EXIT_RSM        0x073u
#define SVM_EXIT_IRET       0x074u
#define SVM_EXIT_SWINT      0x075u
#define SVM_EXIT_INVD       0x076u
#define SVM_EXIT_PAUSE      0x077u
#define SVM_EXIT_HLT        0x078u
#define SVM_EXIT_INVLPG     0x079u
#define SVM_EXIT_INVLPGA    0x07au
#define SVM_EXIT_IOIO       0x07bu
#define SVM_EXIT_MSR        0x07cu
#define SVM_EXIT_TASK_SWITCH 0x07du
#define SVM_EXIT_FERR_FREEZE 0x07eu
#define SVM_EXIT_SHUTDOWN   0x07fu
#define SVM_EXIT_VMRUN      0x080u
#define SVM_EXIT_VMMCALL    0x081u
#define SVM_EXIT_VMLOAD     0x082u
#define SVM_EXIT_VMSAVE     0x083u
#define SVM_EXIT_STGI       0x084u
#define SVM_EXIT_CLGI       0x085u
#define SVM_EXIT_SKINIT     0x086u
#define SVM_EXIT_RDTSCP     0x087u
#define SVM_EXIT_ICEBP      0x088u
#define SVM_EXIT_WBINVD     0x089u
#define SVM_EXIT_MONITOR    0x08au
#define SVM_EXIT_MWAIT      0x08bu
#define SVM_EXIT_MWAIT_COND 0x08cu
#define SVM_EXIT_XSETBV     0x08du
#define SVM_EXIT_RDPRU      0x08eu
#define SVM_EXIT_EFER_WRITE_TRAP 0x08fu
#define SVM_EXIT_CR0_WRITE_TRAP  0x090u
#define SVM_EXIT_NPF        0x400u
#define SVM_EXIT_AVIC_INCOMPLETE_IPI 0x401u
#define SVM_EXIT_AVIC_UNACCELERATED_ACCESS 0x402u
#define SVM_EXIT_VMGEXIT    0x403u
#define SVM_EXIT_SW         0xf0000000u
/* VMEXIT_INVALID: VMRUN found illegal guest state (APM §15.5.1) */
#define SVM_EXIT_ERR        (~0ull)

/* IOIO exit_info_1 (APM §15.10.2, figure 15-2) */
#define SVM_IOIO_TYPE_IN    (1u << 0)
#define SVM_IOIO_STR        (1u << 2)
#define SVM_IOIO_REP        (1u << 3)
#define SVM_IOIO_SZ8        (1u << 4)
#define SVM_IOIO_SZ16       (1u << 5)
#define SVM_IOIO_SZ32       (1u << 6)
#define SVM_IOIO_A16        (1u << 7)
#define SVM_IOIO_A32        (1u << 8)
#define SVM_IOIO_A64        (1u << 9)
#define SVM_IOIO_SEG_SHIFT  10
#define SVM_IOIO_PORT_SHIFT 16

/*
 * #VMEXIT(NPF) exit_info_1 (APM vol. 2 §15.25.6): the #PF error-code bits
 * for the access, and whether the fault was on the final guest-physical
 * address or on the guest's own page tables; exit_info_2 is the GPA.
 */
#define SVM_NPF_P     (1ull << 0)
#define SVM_NPF_RW    (1ull << 1)
#define SVM_NPF_US    (1ull << 2)
#define SVM_NPF_RSV   (1ull << 3)
#define SVM_NPF_ID    (1ull << 4)
#define SVM_NPF_FINAL (1ull << 32)
#define SVM_NPF_TABLE (1ull << 33)

/* Guest instruction bytes at 0D0h (APM §15.8.4, table 15-6): count in 3:0. */
#define SVM_INSN_LEN_MASK 0xfu
#define SVM_INSN_BYTES_MAX 15u

/* MOV CRx/DRx exit_info_1 with decode assists (APM §15.8.1) */
#define SVM_CRX_MOV         (1ull << 63)
#define SVM_CRX_GPR_MASK    0xfull

/* CPUID Fn8000_0001 ECX */
#define CPUID_80000001_ECX_SVM (1u << 2)
/* CPUID Fn8000_000A EDX: SVM feature identification (APM vol. 3 appendix E) */
#define SVM_FEATURE_NP       (1u << 0)
#define SVM_FEATURE_LBRV     (1u << 1)
#define SVM_FEATURE_SVML     (1u << 2)
#define SVM_FEATURE_NRIPS    (1u << 3)
#define SVM_FEATURE_TSCRATE  (1u << 4)
#define SVM_FEATURE_VMCBCLEAN (1u << 5)
#define SVM_FEATURE_FLUSHASID (1u << 6)
#define SVM_FEATURE_DECODEASSISTS (1u << 7)
#define SVM_FEATURE_PAUSEFILTER (1u << 10)
#define SVM_FEATURE_PFTHRESHOLD (1u << 12)
#define SVM_FEATURE_AVIC     (1u << 13)
#define SVM_FEATURE_VVMSAVE  (1u << 15)
#define SVM_FEATURE_VGIF     (1u << 16)
#define SVM_FEATURE_VNMI     (1u << 25)

#endif
