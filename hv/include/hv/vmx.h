/* SPDX-License-Identifier: MIT */
/*
 * The VMX backend, for callers that work with VMX itself: capability
 * discovery, per-processor enablement (VMXON), a vCPU's VMCS fields and a
 * VM's EPT paging structures when VMX runs them. Everything else goes
 * through the vendor-neutral vCPU API in hv/vcpu.h and hv/vm.h.
 *
 * A vCPU's VMCS is current on one processor at a time (SDM vol. 3C
 * §25.11.1): hv_vmx_read and hv_vmx_write make it current on the calling
 * processor, so call them where the vCPU runs, or while its VM is not
 * running.
 *
 * Who may include it: hv/, VMX scenarios, cli/, hw/.
 */
#ifndef HV_VMX_H
#define HV_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"
#include "hv/vm.h"
#include "x86/vmcs_fields.h"
#include "x86/vmx.h"

/* What CPUID and the capability MSRs say about VMX (SDM vol. 3D appendix A). */
struct hv_vmx_caps {
	bool vmx;            /* CPUID.01H:ECX[5] */
	uint64_t basic;      /* IA32_VMX_BASIC */
	/* Allowed settings of each control word: TRUE_* where BASIC[55] says so. */
	uint64_t pin, proc, proc2, exit, entry, misc;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;   /* IA32_VMX_EPT_VPID_CAP, 0 where neither exists */
	bool ept;            /* 4-level walk, WB, 2 MiB pages */
	bool unrestricted;   /* unrestricted guest, with EPT */
	bool vnmi;           /* virtual NMIs and NMI-window exiting */
	bool preemption_timer;
};

/* Fills *caps. Never fails; caps->vmx says whether VMX exists. */
void hv_vmx_caps(struct hv_vmx_caps *caps);

/*
 * Enters VMX operation on the calling processor with a fresh VMXON region
 * (the platform sets CR4.VMXE and IA32_FEATURE_CONTROL, vx/arch.h); a
 * processor already in VMX operation stays in it. Returns HV_OK,
 * HV_ENOSVM (no VMX), HV_ENOMEM or HV_EFAULT.
 */
int hv_vmx_enable(void);

/* VMREAD and VMWRITE of vcpu's VMCS; a failure reads 0 and returns HV_EFAULT. */
uint64_t hv_vmx_read(struct hv_vcpu *vcpu, uint32_t field);
int hv_vmx_write(struct hv_vcpu *vcpu, uint32_t field, uint64_t value);
/* Sets or clears bits of a control field. */
int hv_vmx_set_ctl(struct hv_vcpu *vcpu, uint32_t field, uint32_t bits, bool on);
/* An I/O port's bit in the vCPU's I/O bitmaps (SDM §25.6.4). */
void hv_vmx_io_intercept(struct hv_vcpu *vcpu, uint16_t port, bool intercept);
/* An MSR's bits in the vCPU's MSR bitmaps; HV_EINVAL outside their ranges (§25.6.9). */
int hv_vmx_msr_intercept(struct hv_vcpu *vcpu, uint32_t msr, bool read, bool write);

/* The EPT PML4 of a VM the VMX backend runs with second-level translation. */
static inline uint64_t hv_vmx_ept_root(const struct hv_vm *vm)
{
	return vm->backend.vmx.ept_root;
}

#endif
