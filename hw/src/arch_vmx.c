/* SPDX-License-Identifier: MIT */
/*
 * VM entry for arch.h's VMLAUNCH and VMRESUME. Only the platform knows its
 * own host state (control registers, selectors, descriptor-table and TSS
 * bases), so it writes the VMCS host-state area (SDM vol. 3 §25.5) before
 * each entry; the hypervisor core writes everything else. The instructions
 * themselves are in vmx.S. When tracing, the world switch goes on the
 * event stream as the model reports it, read from the VMCS
 * (vx/vmcs_event.h).
 */
#include "vx/arch.h"
#include "vx/vmcs_event.h"
#include "hw.h"
#include "hw_asm.h"
#include "percpu.h"
#include "x86/cpu.h"
#include "x86/msr.h"
#include "x86/vmcs_fields.h"

/* vmx.S hard-codes the outcomes. */
_Static_assert(ARCH_VMFAIL_INVALID == 1 && ARCH_VMFAIL_VALID == 2, "VMfail codes in vmx.S");

/* VMCS host-state field encodings (SDM vol. 3 appendix B). */
enum {
	VMCS_HOST_ES_SELECTOR = 0x0c00,
	VMCS_HOST_CS_SELECTOR = 0x0c02,
	VMCS_HOST_SS_SELECTOR = 0x0c04,
	VMCS_HOST_DS_SELECTOR = 0x0c06,
	VMCS_HOST_FS_SELECTOR = 0x0c08,
	VMCS_HOST_GS_SELECTOR = 0x0c0a,
	VMCS_HOST_TR_SELECTOR = 0x0c0c,
	VMCS_HOST_IA32_PAT = 0x2c00,
	VMCS_HOST_IA32_EFER = 0x2c02,
	VMCS_HOST_IA32_SYSENTER_CS = 0x4c00,
	VMCS_HOST_CR0 = 0x6c00,
	VMCS_HOST_CR3 = 0x6c02,
	VMCS_HOST_CR4 = 0x6c04,
	VMCS_HOST_FS_BASE = 0x6c06,
	VMCS_HOST_GS_BASE = 0x6c08,
	VMCS_HOST_TR_BASE = 0x6c0a,
	VMCS_HOST_GDTR_BASE = 0x6c0c,
	VMCS_HOST_IDTR_BASE = 0x6c0e,
	VMCS_HOST_IA32_SYSENTER_ESP = 0x6c10,
	VMCS_HOST_IA32_SYSENTER_EIP = 0x6c12,
};

arch_fault_t hw_vmx_enter(struct arch_gprs *gprs, uint64_t resume);
arch_fault_t hw_vmxon(uint64_t region_pa);
arch_fault_t hw_vmxoff(void);

/* CPUID Fn0000_0001 ECX[5] (SDM vol. 3 §24.6). */
static bool has_vmx(void)
{
	struct arch_cpuid id;

	arch_cpuid(1, 0, &id);
	return (id.ecx & (1u << 5)) != 0;
}

/*
 * What VMXON needs of the platform (SDM vol. 3 §24.7): CR4.VMXE, and
 * IA32_FEATURE_CONTROL locked with VMXON outside SMX allowed — set here
 * when firmware left it unlocked; locked without it, VMXON raises #GP. On
 * a processor without VMX, CR4 bit 13 is reserved: VMXON is #UD there.
 */
arch_fault_t arch_vmxon(uint64_t region_pa)
{
	uint64_t fc = 0;

	if (!has_vmx())
		return ARCH_FAULT(X86_VEC_UD);
	if (arch_rdmsr(MSR_IA32_FEATURE_CONTROL, &fc) == ARCH_OK &&
	    !(fc & MSR_FEATURE_CONTROL_LOCK))
		(void)arch_wrmsr(MSR_IA32_FEATURE_CONTROL, fc | MSR_FEATURE_CONTROL_LOCK |
							   MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX);
	hw_write_cr4(hw_read_cr4() | X86_CR4_VMXE);
	return hw_vmxon(region_pa);
}

arch_fault_t arch_vmxoff(void)
{
	arch_fault_t f = hw_vmxoff();

	/* Outside VMX operation CR4.VMXE may be cleared (§24.8). */
	if (f == ARCH_OK)
		hw_write_cr4(hw_read_cr4() & ~X86_CR4_VMXE);
	return f;
}

struct hw_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t msr_or_zero(uint32_t msr)
{
	uint64_t v = 0;

	return arch_rdmsr(msr, &v) == ARCH_OK ? v : 0;
}

/*
 * Writes the host-state area. Returns a fault if VMWRITE faulted (VMX off or
 * absent); a VMfail (no current VMCS, or a field this processor lacks, such
 * as HOST_IA32_EFER) is left for the VM entry to report or to ignore.
 */
static arch_fault_t host_state(void)
{
	struct hw_dtr gdtr, idtr;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	const struct {
		uint32_t field;
		uint64_t value;
	} *w, fields[] = {
		{ VMCS_HOST_ES_SELECTOR, HW_SEL_DATA },
		{ VMCS_HOST_CS_SELECTOR, HW_SEL_CODE64 },
		{ VMCS_HOST_SS_SELECTOR, HW_SEL_DATA },
		{ VMCS_HOST_DS_SELECTOR, HW_SEL_DATA },
		{ VMCS_HOST_FS_SELECTOR, 0 },
		{ VMCS_HOST_GS_SELECTOR, 0 },
		{ VMCS_HOST_TR_SELECTOR, hw_cpu_tss_selector() },
		{ VMCS_HOST_CR0, hw_read_cr0() },
		{ VMCS_HOST_CR3, hw_read_cr3() },
		{ VMCS_HOST_CR4, hw_read_cr4() },
		{ VMCS_HOST_FS_BASE, msr_or_zero(MSR_FS_BASE) },
		{ VMCS_HOST_GS_BASE, msr_or_zero(MSR_GS_BASE) },
		{ VMCS_HOST_TR_BASE, hw_cpu_tss_base() },
		{ VMCS_HOST_GDTR_BASE, gdtr.base },
		{ VMCS_HOST_IDTR_BASE, idtr.base },
		{ VMCS_HOST_IA32_SYSENTER_CS, msr_or_zero(MSR_SYSENTER_CS) },
		{ VMCS_HOST_IA32_SYSENTER_ESP, msr_or_zero(MSR_SYSENTER_ESP) },
		{ VMCS_HOST_IA32_SYSENTER_EIP, msr_or_zero(MSR_SYSENTER_EIP) },
		{ VMCS_HOST_IA32_PAT, msr_or_zero(MSR_IA32_PAT) },
		{ VMCS_HOST_IA32_EFER, msr_or_zero(MSR_EFER) },
	};

	for (w = fields; w < fields + sizeof(fields) / sizeof(fields[0]); w++) {
		arch_fault_t f = arch_vmwrite(w->field, w->value);

		if (f & ARCH_FAULT_VALID)
			return f;
	}
	return ARCH_OK;
}

/* VMREAD of the current VMCS; 0 for a field this processor lacks. */
static uint64_t vmr(uint32_t field)
{
	uint64_t v = 0;

	return arch_vmread(field, &v) == ARCH_OK ? v : 0;
}

static uint64_t current_vmcs(void)
{
	uint64_t pa = ~0ull;

	__asm__ volatile("vmptrst %0" : "=m"(pa) : : "cc");
	return pa;
}

static arch_fault_t enter(struct arch_gprs *gprs, bool resume)
{
	struct hv_vmentry_words in;
	struct hv_vmx_exit_words out = { 0 };
	struct hv_event ev;
	arch_fault_t f = host_state();

	if (f != ARCH_OK)
		return f;
	if (!hw_trace)
		return hw_vmx_enter(gprs, resume);
	in = (struct hv_vmentry_words){
		.rip = vmr(GUEST_RIP), .vmcs_pa = current_vmcs(),
		.pin = (uint32_t)vmr(PIN_BASED_VM_EXEC_CONTROL),
		.proc = (uint32_t)vmr(CPU_BASED_VM_EXEC_CONTROL),
		.proc2 = (uint32_t)vmr(SECONDARY_VM_EXEC_CONTROL),
		.intr_info = (uint32_t)vmr(VM_ENTRY_INTR_INFO_FIELD),
		.intr_error = (uint32_t)vmr(VM_ENTRY_EXCEPTION_ERROR_CODE), .resume = resume,
	};
	ev = hv_event_vmentry(&in);
	arch_event(&ev);
	f = hw_vmx_enter(gprs, resume);
	/* A VMfail switched no worlds: there is no VM exit to report. */
	if (f != ARCH_OK)
		return f;
	out.reason = (uint32_t)vmr(VM_EXIT_REASON);
	out.rip = vmr(GUEST_RIP);
	out.qualification = vmr(EXIT_QUALIFICATION);
	/* After a VM-entry failure the other exit fields hold nothing (§27.8). */
	if (!(out.reason & (1u << 31))) {
		out.gpa = vmr(GUEST_PHYSICAL_ADDRESS); /* kept for EPT exits alone */
		out.intr_info = (uint32_t)vmr(VM_EXIT_INTR_INFO);
		out.intr_error = (out.intr_info & (1u << 11)) ? (uint32_t)vmr(VM_EXIT_INTR_ERROR_CODE)
							     : 0;
		out.idt_vectoring = (uint32_t)vmr(IDT_VECTORING_INFO_FIELD);
		out.insn_len = (uint32_t)vmr(VM_EXIT_INSTRUCTION_LEN);
	}
	ev = hv_event_vmx_exit(&out);
	arch_event(&ev);
	return f;
}

arch_fault_t arch_vmlaunch(struct arch_gprs *gprs)
{
	return enter(gprs, false);
}

arch_fault_t arch_vmresume(struct arch_gprs *gprs)
{
	return enter(gprs, true);
}
