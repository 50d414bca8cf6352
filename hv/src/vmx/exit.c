/* SPDX-License-Identifier: MIT */
/*
 * VM-exit decoding for the core (SDM vol. 3C §28.2, appendix C): the raw
 * exit, its kind and what the core needs of it (struct hv_exit, hv/vcpu.h),
 * from one list of the exit reasons the backend knows; and the backend's
 * own business, which never reaches the core: the interrupt and NMI
 * windows, the CR0/CR4 bits the host keeps, and the guest's own #UD.
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/vmx.h"
#include "../core/fastpath.h"
#include "../core/insn.h"
#include "vmx_backend.h"
#include "x86/cpu.h"
#include "x86/msr.h"

typedef bool (*decode_fn)(struct hv_vcpu *vcpu, struct hv_exit *exit);

static bool decode_exception_nmi(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_sipi(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_interrupt_window(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_nmi_window(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_io(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_rdmsr(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_wrmsr(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_cr_access(struct hv_vcpu *vcpu, struct hv_exit *exit);
static bool decode_ept_violation(struct hv_vcpu *vcpu, struct hv_exit *exit);

/*
 * X(basic exit reason, the kind it is, the decoder that says more, or
 * none): each reason the backend gives a meaning; any other is
 * HV_EXIT_KIND_OTHER, with exit.raw saying what it was.
 */
#define VMX_BACKEND_EXITS(X)                                              \
	X(EXCEPTION_NMI, HV_EXIT_KIND_OTHER, decode_exception_nmi)       \
	X(EXTERNAL_INTERRUPT, HV_EXIT_KIND_INTR, NULL)                    \
	X(TRIPLE_FAULT, HV_EXIT_KIND_SHUTDOWN, NULL)                      \
	X(INIT_SIGNAL, HV_EXIT_KIND_INIT, NULL)                           \
	X(SIPI_SIGNAL, HV_EXIT_KIND_SIPI, decode_sipi)                    \
	X(INTERRUPT_WINDOW, HV_EXIT_KIND_OTHER, decode_interrupt_window) \
	X(NMI_WINDOW, HV_EXIT_KIND_OTHER, decode_nmi_window)             \
	X(CPUID, HV_EXIT_KIND_CPUID, NULL)                                \
	X(HLT, HV_EXIT_KIND_HLT, NULL)                                    \
	X(VMCALL, HV_EXIT_KIND_HYPERCALL, NULL)                           \
	X(CR_ACCESS, HV_EXIT_KIND_OTHER, decode_cr_access)               \
	X(IO_INSTRUCTION, HV_EXIT_KIND_IO, decode_io)                     \
	X(RDMSR, HV_EXIT_KIND_MSR, decode_rdmsr)                          \
	X(WRMSR, HV_EXIT_KIND_MSR, decode_wrmsr)                          \
	X(PAUSE, HV_EXIT_KIND_PAUSE, NULL)                                \
	X(EPT_VIOLATION, HV_EXIT_KIND_GPA_FAULT, decode_ept_violation)  \
	X(PREEMPTION_TIMER, HV_EXIT_KIND_TIMER, NULL)

static const struct {
	uint8_t known;
	uint8_t kind;
	decode_fn decode;
} exits[VMX_EXIT_NOTIFY + 1] = {
#define VMX_EXIT_ROW(name, k, fn) [VMX_EXIT_##name] = { 1, k, fn },
	VMX_BACKEND_EXITS(VMX_EXIT_ROW)
#undef VMX_EXIT_ROW
};

/* VMMCALL (0F 01 D9), which raises #UD on Intel processors (SDM "VMCALL"). */
static bool at_vmmcall(struct hv_vcpu *vcpu)
{
	static const uint8_t vmmcall[3] = { 0x0f, 0x01, 0xd9 };
	struct hv_insn_state st;
	uint8_t b[3];

	vmx_get_insn_state(vcpu, &st);
	return hv_insn_fetch(vcpu, &st, b, sizeof(b)) == sizeof(b) &&
	       hv_memcmp(b, vmmcall, sizeof(b)) == 0;
}

/*
 * Exit reason 0 (§28.2.2): a physical NMI, VMMCALL's #UD, the guest's
 * own #UD (given back to it), or an exception a caller intercepts.
 */
static bool decode_exception_nmi(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint32_t type = (v->exit_intr_info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	uint8_t vector = (uint8_t)(v->exit_intr_info & INTR_INFO_VECTOR_MASK);

	if (type == INTR_TYPE_NMI) {
		exit->kind = HV_EXIT_KIND_NMI;
		return false;
	}
	if (vector == X86_VEC_UD && at_vmmcall(vcpu)) {
		exit->kind = HV_EXIT_KIND_HYPERCALL;
		exit->info.insn_len = 3;
		return false;
	}
	/* The backend owns bit 6 of the exception bitmap: the guest gets its #UD. */
	if (vector == X86_VEC_UD) {
		vcpu->exception.valid = true;
		vcpu->exception.event = (struct hv_vcpu_event){ .type = HV_INJ_EXCEPTION,
								.vector = X86_VEC_UD };
		return true;
	}
	exit->kind = HV_EXIT_KIND_EXCEPTION;
	exit->info.exception.vector = vector;
	exit->info.exception.error_code =
		(v->exit_intr_info & INTR_INFO_DELIVER_CODE) ? v->exit_intr_error : 0;
	return false;
}

/* The SIPI's vector is qualification bits 7:0 (table 28-1). */
static bool decode_sipi(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	exit->info.sipi.vector = (uint8_t)to_vmx(vcpu)->exit_qual;
	return false;
}

/* The window the core asked for is open: it injects on the next entry. */
static bool decode_interrupt_window(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	(void)exit;
	vmx_load(vcpu);
	vmx_ctl(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTERRUPT_WINDOW_EXITING, false);
	return true;
}

static bool decode_nmi_window(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	(void)exit;
	vmx_load(vcpu);
	vmx_ctl(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING, false);
	return true;
}

/* Qualification: table 28-5. */
static bool decode_io(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	uint64_t q = to_vmx(vcpu)->exit_qual;

	exit->info.io.port = (uint16_t)((q & EXIT_QUAL_IO_PORT_MASK) >> EXIT_QUAL_IO_PORT_SHIFT);
	exit->info.io.size = (uint8_t)((q & EXIT_QUAL_IO_SIZE_MASK) + 1);
	exit->info.io.in = (q & EXIT_QUAL_IO_IN) != 0;
	exit->info.io.string = (q & EXIT_QUAL_IO_STRING) != 0;
	exit->info.io.rep = (q & EXIT_QUAL_IO_REP) != 0;
	return false;
}

static bool decode_rdmsr(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	(void)vcpu;
	exit->info.msr.write = false;
	return false;
}

static bool decode_wrmsr(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	(void)vcpu;
	exit->info.msr.write = true;
	return false;
}

/*
 * MOV to CR0 or CR4 that changed a bit the host keeps (vmx_write_cr):
 * the guest's value goes to the shadow and, with the fixed bits, to the
 * register (table 28-3). Anything else is the caller's.
 */
static bool decode_cr_access(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	uint64_t q = to_vmx(vcpu)->exit_qual;
	unsigned cr = (unsigned)(q & 15u), gpr = (unsigned)((q >> 8) & 15u);
	unsigned type = (unsigned)((q & EXIT_QUAL_CR_ACCESS_TYPE_MASK) >>
				   EXIT_QUAL_CR_ACCESS_TYPE_SHIFT);

	if (type != CR_ACCESS_MOV_TO_CR || (cr != 0 && cr != 4))
		return false;
	vmx_load(vcpu);
	vmx_write_cr(vcpu, (int)cr, vmx_get_gpr(vcpu, gpr));
	vmx_skip_instruction(vcpu, to_vmx(vcpu)->exit_insn_len);
	(void)exit;
	return true;
}

/* Qualification: table 28-7; the guest-physical address in its own field. */
static bool decode_ept_violation(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint32_t access = 0;

	if (v->exit_qual & EPT_VIOLATION_DATA_WRITE)
		access |= HV_GPA_WRITE;
	if (v->exit_qual & EPT_VIOLATION_INSN_FETCH)
		access |= HV_GPA_FETCH;
	/* A valid linear address not translated: the guest's own table walk. */
	if ((v->exit_qual & EPT_VIOLATION_GLA_VALID) &&
	    !(v->exit_qual & EPT_VIOLATION_GLA_TRANSLATED))
		access |= HV_GPA_TABLE;
	if (v->idt_info & INTR_INFO_VALID)
		access |= HV_GPA_EVENT;
	exit->info.gpa_fault.gpa = v->exit_gpa;
	exit->info.gpa_fault.access = access;
	return false;
}

bool vmx_decode_exit(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint32_t basic = v->exit_reason & VMX_EXIT_REASON_BASIC_MASK;

	exit->raw.reason = v->exit_reason;
	exit->raw.info1 = v->exit_qual;
	exit->raw.info2 = v->exit_gpa;
	exit->raw.int_info = v->idt_info;
	exit->raw.int_info_err = v->idt_error;
	if (v->exit_reason & VMX_EXIT_REASON_FAILED_VMENTRY) {
		exit->kind = HV_EXIT_KIND_ENTRY_FAILED;
		return false;
	}
	vmx_complete_interrupts(vcpu);
	if (basic >= sizeof(exits) / sizeof(exits[0]) || !exits[basic].known)
		return false;
	exit->kind = exits[basic].kind;
	exit->info.insn_len = v->exit_insn_len;
	return exits[basic].decode ? exits[basic].decode(vcpu, exit) : false;
}

/*
 * The exits of the core's fastpath (hv/vm.h): the preemption timer's, and
 * WRMSR of IA32_TSC_DEADLINE, read from the registers the world switch
 * saved. Only the IDT-vectoring information is read before the core takes
 * it: an exit that cut an event's delivery short goes the full way, which
 * delivers it again.
 */
bool vmx_exit_fastpath(struct hv_vcpu *vcpu)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint32_t basic = v->exit_reason & VMX_EXIT_REASON_BASIC_MASK, kind;
	unsigned len = 0;
	bool irq_still_requested;

	if (v->exit_reason & VMX_EXIT_REASON_FAILED_VMENTRY)
		return false;
	if (basic == VMX_EXIT_PREEMPTION_TIMER)
		kind = HV_EXIT_KIND_TIMER;
	else if (basic == VMX_EXIT_WRMSR && (uint32_t)vcpu->gprs.rcx == MSR_IA32_TSC_DEADLINE)
		kind = HV_EXIT_KIND_MSR;
	else
		return false;
	if (!hv_fastpath_ready(vcpu))
		return false;
	v->idt_info = (uint32_t)vmx_r(IDT_VECTORING_INFO_FIELD);
	if (v->idt_info & INTR_INFO_VALID)
		return false;
	if (kind == HV_EXIT_KIND_MSR)
		len = (unsigned)vmx_r(VM_EXIT_INSTRUCTION_LEN);
	irq_still_requested = vmx_irq_request_pending(vcpu);
	vmx_complete_interrupts(vcpu);
	hv_fastpath_complete(vcpu, kind, irq_still_requested, len);
	return true;
}
