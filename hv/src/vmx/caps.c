/* SPDX-License-Identifier: MIT */
/*
 * VMX discovery (CPUID.01H:ECX[5], the capability MSRs of SDM vol. 3D
 * appendix A) and per-processor enablement: VMXON with a region of the
 * processor's revision (SDM vol. 3C §24.7, §25.11.5).
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/vmx.h"
#include "vmx_backend.h"
#include "x86/msr.h"

#define CPUID_1_ECX_VMX (1u << 5)

static uint64_t rdmsr0(uint32_t msr)
{
	uint64_t v = 0;

	return arch_rdmsr(msr, &v) == ARCH_OK ? v : 0;
}

static bool may1(uint64_t cap, uint32_t bits)
{
	return ((uint32_t)(cap >> 32) & bits) == bits;
}

void hv_vmx_caps(struct hv_vmx_caps *caps)
{
	struct arch_cpuid id;
	bool t;

	hv_memset(caps, 0, sizeof(*caps));
	arch_cpuid(1, 0, &id);
	if (!(id.ecx & CPUID_1_ECX_VMX) || arch_rdmsr(MSR_IA32_VMX_BASIC, &caps->basic) != ARCH_OK)
		return;
	caps->vmx = true;
	/* Appendix A.2: the TRUE_* MSRs say which default1 controls may be 0. */
	t = (caps->basic & VMX_BASIC_TRUE_CTLS) != 0;
	caps->pin = rdmsr0(t ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS);
	caps->proc = rdmsr0(t ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS);
	caps->exit = rdmsr0(t ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS);
	caps->entry = rdmsr0(t ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS);
	caps->misc = rdmsr0(MSR_IA32_VMX_MISC);
	caps->cr0_fixed0 = rdmsr0(MSR_IA32_VMX_CR0_FIXED0);
	caps->cr0_fixed1 = rdmsr0(MSR_IA32_VMX_CR0_FIXED1);
	caps->cr4_fixed0 = rdmsr0(MSR_IA32_VMX_CR4_FIXED0);
	caps->cr4_fixed1 = rdmsr0(MSR_IA32_VMX_CR4_FIXED1);
	/* Appendix A.3.3, A.10: these exist only where the controls they describe do. */
	if (may1(caps->proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		caps->proc2 = rdmsr0(MSR_IA32_VMX_PROCBASED_CTLS2);
	if (may1(caps->proc2, SECONDARY_EXEC_ENABLE_EPT) ||
	    may1(caps->proc2, SECONDARY_EXEC_ENABLE_VPID))
		caps->ept_vpid = rdmsr0(MSR_IA32_VMX_EPT_VPID_CAP);
	caps->ept = may1(caps->proc2, SECONDARY_EXEC_ENABLE_EPT) &&
		    (caps->ept_vpid & VMX_EPT_PAGE_WALK_4) && (caps->ept_vpid & VMX_EPT_MEMTYPE_WB) &&
		    (caps->ept_vpid & VMX_EPT_2MB_PAGE);
	caps->unrestricted = caps->ept && may1(caps->proc2, SECONDARY_EXEC_UNRESTRICTED_GUEST);
	caps->vnmi = may1(caps->pin, PIN_BASED_VIRTUAL_NMIS) &&
		     may1(caps->proc, CPU_BASED_NMI_WINDOW_EXITING);
	caps->preemption_timer = may1(caps->pin, PIN_BASED_VMX_PREEMPTION_TIMER);
}

/*
 * What the backend needs of a processor: the controls its vCPUs rely on
 * (HLT, I/O and MSR bitmaps, external-interrupt and NMI exiting, virtual
 * NMIs with NMI-window exiting; 64-bit host), and for a VM's vCPUs EPT with unrestricted guest, since an
 * application processor starts in real mode (SDM vol. 3A §9.4.4).
 */
bool vmx_probe(struct hv_backend_caps *caps)
{
	struct hv_vmx_caps c;

	hv_vmx_caps(&c);
	if (caps) {
		caps->slat = c.ept && c.unrestricted;
		caps->guest_timer = c.preemption_timer;
		caps->wait_states = (c.misc & VMX_MISC_ACTIVITY_HLT) &&
				    (c.misc & VMX_MISC_ACTIVITY_WAIT_SIPI);
	}
	return c.vmx && may1(c.proc, CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS |
					     CPU_BASED_USE_MSR_BITMAPS) &&
	       c.vnmi &&
	       may1(c.pin, PIN_BASED_EXTERNAL_INTERRUPT_EXITING | PIN_BASED_NMI_EXITING) &&
	       may1(c.exit, VM_EXIT_HOST_ADDRESS_SPACE_SIZE) &&
	       may1(c.entry, VM_ENTRY_IA32E_MODE_GUEST);
}

/*
 * VMXON with a fresh region. A processor already in VMX operation answers
 * VMfailInvalid or VMfailValid(15) (SDM "VMXON"): it stays in it, as
 * enabling SVM twice leaves EFER.SVME set.
 */
int vmx_cpu_enable(void)
{
	uint64_t basic, region;
	arch_fault_t f;

	if (arch_rdmsr(MSR_IA32_VMX_BASIC, &basic) != ARCH_OK)
		return HV_ENOSVM;
	region = arch_page_alloc();
	if (!region)
		return HV_ENOMEM;
	*(uint32_t *)arch_phys_to_virt(region) = (uint32_t)(basic & VMX_BASIC_REVISION_MASK);
	f = arch_vmxon(region);
	if (f == ARCH_OK || f == ARCH_VMFAIL_INVALID || f == ARCH_VMFAIL_VALID)
		return HV_OK;
	return HV_EFAULT;
}

int hv_vmx_enable(void)
{
	return vmx_probe(NULL) ? vmx_cpu_enable() : HV_ENOSVM;
}
