/* SPDX-License-Identifier: MIT */
/*
 * Model-specific register numbers used by vxemu (APM vol. 2 appendix A, SDM
 * vol. 4). Freestanding; included by every part of vxemu.
 */
#ifndef X86_MSR_H
#define X86_MSR_H

#define MSR_IA32_TSC            0x00000010u
#define MSR_IA32_APIC_BASE      0x0000001bu
#define MSR_IA32_TSC_DEADLINE   0x000006e0u
#define MSR_IA32_X2APIC_BASE    0x00000800u /* x2APIC registers: 0x800 + (offset >> 4) */
#define MSR_EFER                0xc0000080u
#define MSR_STAR                0xc0000081u
#define MSR_LSTAR               0xc0000082u
#define MSR_CSTAR               0xc0000083u
#define MSR_SFMASK              0xc0000084u
#define MSR_FS_BASE             0xc0000100u
#define MSR_GS_BASE             0xc0000101u
#define MSR_KERNEL_GS_BASE      0xc0000102u
#define MSR_TSC_AUX             0xc0000103u
#define MSR_SYSENTER_CS         0x00000174u
#define MSR_SYSENTER_ESP        0x00000175u
#define MSR_SYSENTER_EIP        0x00000176u
#define MSR_IA32_PAT            0x00000277u
#define MSR_IA32_FEATURE_CONTROL 0x0000003au
#define MSR_IA32_DEBUGCTL       0x000001d9u
#define MSR_IA32_SMM_MONITOR_CTL 0x0000009bu
/* VMX capability MSRs (SDM vol. 3D appendix A) */
#define MSR_IA32_VMX_BASIC            0x00000480u
#define MSR_IA32_VMX_PINBASED_CTLS    0x00000481u
#define MSR_IA32_VMX_PROCBASED_CTLS   0x00000482u
#define MSR_IA32_VMX_EXIT_CTLS        0x00000483u
#define MSR_IA32_VMX_ENTRY_CTLS       0x00000484u
#define MSR_IA32_VMX_MISC             0x00000485u
#define MSR_IA32_VMX_CR0_FIXED0       0x00000486u
#define MSR_IA32_VMX_CR0_FIXED1       0x00000487u
#define MSR_IA32_VMX_CR4_FIXED0       0x00000488u
#define MSR_IA32_VMX_CR4_FIXED1       0x00000489u
#define MSR_IA32_VMX_VMCS_ENUM        0x0000048au
#define MSR_IA32_VMX_PROCBASED_CTLS2  0x0000048bu
#define MSR_IA32_VMX_EPT_VPID_CAP     0x0000048cu
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x0000048du
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x0000048eu
#define MSR_IA32_VMX_TRUE_EXIT_CTLS   0x0000048fu
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS  0x00000490u
#define MSR_IA32_VMX_VMFUNC           0x00000491u
#define MSR_VM_CR               0xc0010114u
#define MSR_VM_HSAVE_PA         0xc0010117u
#define MSR_AMD64_SEV_ES_GHCB   0xc0010130u
#define MSR_AMD64_SEV           0xc0010131u

/* VM_CR (APM vol. 2 §15.30.1) */
#define MSR_VM_CR_DPD       (1ull << 0)
#define MSR_VM_CR_R_INIT    (1ull << 1)
#define MSR_VM_CR_DIS_A20M  (1ull << 2)
#define MSR_VM_CR_LOCK      (1ull << 3)
#define MSR_VM_CR_SVMDIS    (1ull << 4)

/* IA32_FEATURE_CONTROL (SDM vol. 3C §24.7) */
#define MSR_FEATURE_CONTROL_LOCK              (1ull << 0)
#define MSR_FEATURE_CONTROL_VMXON_INSIDE_SMX  (1ull << 1)
#define MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1ull << 2)

/* IA32_APIC_BASE */
#define MSR_APIC_BASE_BSP   (1ull << 8)
#define MSR_APIC_BASE_EXTD  (1ull << 10)
#define MSR_APIC_BASE_EN    (1ull << 11)

#endif
