/* SPDX-License-Identifier: MIT */
/*
 * The record kinds: names and field names as KVM's trace events spell them
 * (arch/x86/kvm/trace.h), the words two runs must agree on, and which kinds
 * mean the same event seen from another level.
 */
#include <string.h>

#include "vxtrace/trace.h"

#define W(i) (1u << (i))

static const struct vxt_kind_info kinds[VXT_KIND_COUNT] = {
	/* The hypervisor's VMRUN; the vmcb address is the machine's choice. */
	[VXT_KVM_ENTRY] = { "kvm_entry",
			    { "rip", "vmcb", "int_ctl", "event_inj", "event_inj_err", "nested_ctl",
			      "tlb_ctl", "asid" },
			    W(0) | W(2) | W(3) | W(4) | W(5) | W(6), VXT_KVM_ENTRY },
	/* The same layout for every exit kind: word i means the same. */
	[VXT_KVM_EXIT] = { "kvm_exit",
			   { "reason", "rip", "info1", "info2", "intr_info", "error_code",
			     "next_rip", NULL },
			   W(0) | W(1) | W(2) | W(3) | W(4) | W(5) | W(6), VXT_KVM_EXIT },
	[VXT_KVM_NESTED_INTERCEPTS] = { "kvm_nested_intercepts",
					{ "cr_read", "cr_write", "dr_read", "dr_write", "excp",
					  "intercept3", "intercept4", "intercept5" },
					0xff, VXT_KVM_NESTED_INTERCEPTS },
	[VXT_KVM_INJ_VIRQ] = { "kvm_inj_virq", { "irq", "soft", "reinjected" }, W(0) | W(1),
			       VXT_KVM_INJ_VIRQ },
	[VXT_KVM_INJ_EXCEPTION] = { "kvm_inj_exception",
				    { "exception", "has_error", "error_code", "reinjected" },
				    W(0) | W(1) | W(2), VXT_KVM_INJ_EXCEPTION },
	[VXT_KVM_APIC_IPI] = { "kvm_apic_ipi", { "dest_id", "icr_low" }, W(0) | W(1),
			       VXT_KVM_APIC_IPI },
	[VXT_KVM_APIC_ACCEPT_IRQ] = { "kvm_apic_accept_irq", { "apicid", "dm", "tm", "vec" },
				      0x0f, VXT_KVM_APIC_ACCEPT_IRQ },
	[VXT_KVM_MSR] = { "kvm_msr", { "write", "ecx", "data", "exception" }, 0x0f, VXT_KVM_MSR },
	/* L1's VMRUN as L0 traces it: nested_rip is the guest's rip. */
	[VXT_KVM_NESTED_VMENTER] = { "kvm_nested_vmenter",
				     { "nested_rip", "vmcb", "int_ctl", "event_inj", NULL, "npt",
				       NULL, NULL },
				     W(0) | W(2) | W(3) | W(5), VXT_KVM_ENTRY },
	/* Every L2 exit into L0, also those L1 never sees. */
	[VXT_KVM_NESTED_VMEXIT] = { "kvm_nested_vmexit",
				    { "reason", "rip", "ext_inf1", "ext_inf2", "ext_int",
				      "ext_int_err", NULL, NULL },
				    W(0) | W(1) | W(2) | W(3) | W(4) | W(5), VXT_KVM_NESTED_VMEXIT },
	/* The exits L0 reflects into L1: what the hypervisor sees. */
	[VXT_KVM_NESTED_VMEXIT_INJECT] = { "kvm_nested_vmexit_inject",
					   { "reason", NULL, "ext_inf1", "ext_inf2", "ext_int",
					     "ext_int_err", NULL, NULL },
					   W(0) | W(2) | W(3) | W(4) | W(5), VXT_KVM_EXIT },
	[VXT_KVM_VMGEXIT_ENTER] = { "kvm_vmgexit_enter",
				    { "exit_reason", "info1", "info2" }, 0x07,
				    VXT_KVM_VMGEXIT_ENTER },
	[VXT_KVM_VMGEXIT_EXIT] = { "kvm_vmgexit_exit", { "exit_reason", "info1", "info2" },
				   0x07, VXT_KVM_VMGEXIT_EXIT },
	[VXT_KVM_VMGEXIT_MSR_PROTOCOL_ENTER] = { "kvm_vmgexit_msr_protocol_enter",
						 { "ghcb_gpa" }, 0x01,
						 VXT_KVM_VMGEXIT_MSR_PROTOCOL_ENTER },
	[VXT_KVM_VMGEXIT_MSR_PROTOCOL_EXIT] = { "kvm_vmgexit_msr_protocol_exit",
						{ "ghcb_gpa", "result" }, 0x03,
						VXT_KVM_VMGEXIT_MSR_PROTOCOL_EXIT },
	[VXT_INJ_NMI] = { "vxemu_inj_nmi", { "vnmi" }, 0x01, VXT_INJ_NMI },
	[VXT_EVENTINJ] = { "vxemu_eventinj", { "event_inj", "event_inj_err" }, 0x03,
			   VXT_EVENTINJ },
	[VXT_DELIVER] = { "vxemu_deliver", { "vector", "type", "error_code" }, 0x07, VXT_DELIVER },
	[VXT_APIC_TIMER] = { "vxemu_apic_timer", { "lvt", "due" }, 0x01, VXT_APIC_TIMER },
	[VXT_INIT] = { "vxemu_init", { "outcome" }, 0x01, VXT_INIT },
	[VXT_SIPI] = { "vxemu_sipi", { "vector", "started" }, 0x03, VXT_SIPI },
	[VXT_MP_STATE] = { "vxemu_mp_state", { "vcpu", "mp_state", "old_mp_state" }, 0x07,
			   VXT_MP_STATE },
	[VXT_HOST_IRQ] = { "vxemu_host_irq", { "vector" }, 0x01, VXT_HOST_IRQ },
	[VXT_HOST_NMI] = { "vxemu_host_nmi", { NULL }, 0, VXT_HOST_NMI },
	/* A check's values may differ between machines (a TSC reading) while
	 * both pass: two runs agree when the verdicts do. */
	[VXT_CHECK] = { "vxemu_check", { "pass", "got", "want" }, 0x01, VXT_CHECK },
	[VXT_SHUTDOWN] = { "vxemu_shutdown", { "cause" }, 0, VXT_SHUTDOWN },
	/* KVM's CC(): the consistency check a VM entry failed, named in the text. */
	[VXT_KVM_NESTED_VMENTER_FAILED] = { "kvm_nested_vmenter_failed", { "rule" }, 0x01,
					    VXT_KVM_NESTED_VMENTER_FAILED },
	[VXT_GUEST_CODE] = { "vxemu_guest_code",
			     { "address", "layout", "bytes0", "bytes1", "bytes2", "bytes3", "bytes4",
			       "bytes5" },
			     0, VXT_GUEST_CODE },
	/* VMLAUNCH or VMRESUME; the VMCS address is the machine's choice. */
	[VXT_VMX_ENTRY] = { "vxemu_vmx_entry",
			    { "rip", "vmcs", "pin_based", "cpu_based", "secondary", "intr_info",
			      "error_code", "resume" },
			    W(0) | W(2) | W(3) | W(4) | W(5) | W(6) | W(7), VXT_VMX_ENTRY },
	/* A VM exit, as the VMCS's exit-information fields give it. */
	[VXT_VMX_EXIT] = { "vxemu_vmx_exit",
			   { "reason", "rip", "qualification", "gpa", "intr_info", "error_code",
			     "idt_vectoring", "insn_len" },
			   0xff, VXT_VMX_EXIT },
};

const struct vxt_kind_info *vxt_kind_info(unsigned kind)
{
	if (kind == 0 || kind >= VXT_KIND_COUNT)
		return NULL;
	return &kinds[kind];
}

unsigned vxt_kind_by_name(const char *name)
{
	for (unsigned k = 1; k < VXT_KIND_COUNT; k++) {
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	}
	return 0;
}

const char *vxt_platform_name(uint32_t platform)
{
	static const char *const names[VXT_PLATFORM_COUNT] = {
		[VXT_PLATFORM_MODEL] = "model",
		[VXT_PLATFORM_QEMU_TCG] = "qemu-tcg",
		[VXT_PLATFORM_QEMU_KVM] = "qemu-kvm",
		[VXT_PLATFORM_METAL] = "metal",
		[VXT_PLATFORM_IMPORT] = "import",
	};

	return platform && platform < VXT_PLATFORM_COUNT ? names[platform] : "unknown";
}

const char *vxt_source_name(unsigned source)
{
	static const char *const names[VXT_SRC_COUNT] = {
		[HV_SRC_MODEL] = "model",
		[HV_SRC_SEAM] = "seam",
		[HV_SRC_CORE] = "core",
		[HV_SRC_SCENARIO] = "scenario",
		[VXT_SRC_IMPORT] = "import",
	};

	return source < VXT_SRC_COUNT ? names[source] : "unknown";
}
