/* SPDX-License-Identifier: MIT */
/*
 * Exits, by kind, for the run loop: what the core handles itself (physical
 * NMI/INTR, CPUID, PAUSE and HLT of a VM's vCPU, the virtual APIC's MSRs
 * and xAPIC page) and what it hands back to the caller as a KVM-like
 * struct hv_exit. The backend has decoded the exit (ops->decode_exit) and
 * done its own part; nothing here knows which vendor it was.
 */
#include "vx/arch.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "exit.h"
#include "mmio.h"
#include "mp.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* CPUID Fn0000_0001: EDX[9] APIC, ECX[21] x2APIC, EBX[31:24] initial APIC ID. */
#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_1_ECX_X2APIC (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

static uint64_t gpr(struct hv_vcpu *vcpu, unsigned n)
{
	return vcpu->ops->get_gpr(vcpu, n);
}

static void set_gpr(struct hv_vcpu *vcpu, unsigned n, uint64_t value)
{
	vcpu->ops->set_gpr(vcpu, n, value);
}

static void skip(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	vcpu->ops->skip_instruction(vcpu, exit->info.insn_len);
}

static int exit_internal(struct hv_exit *exit, uint32_t suberror)
{
	exit->reason = HV_EXIT_INTERNAL_ERROR;
	exit->internal.suberror = suberror;
	exit->internal.fault = ARCH_OK;
	return 0;
}

/* VMMCALL/VMCALL: the guest stubs' report of an exception, or a hypercall. */
static int handle_hypercall(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct hv_guest_frame frame;
	uint64_t rip = vcpu->ops->get_rip(vcpu);
	uint8_t vector;

	skip(vcpu, exit);
	if (vcpu->guest && hv_guest_stub_hit(vcpu->guest, rip, gpr(vcpu, HV_GPR_RAX),
					     gpr(vcpu, HV_GPR_RSP), &vector, &frame)) {
		exit->reason = HV_EXIT_EXCEPTION;
		exit->exception.source = HV_EXC_GUEST_STUB;
		exit->exception.vector = vector;
		exit->exception.error_code = (uint32_t)frame.error_code;
		exit->exception.rip = frame.rip;
		return 0;
	}
	exit->reason = HV_EXIT_HYPERCALL;
	exit->hypercall.nr = gpr(vcpu, HV_GPR_RAX);
	exit->hypercall.args[0] = gpr(vcpu, HV_GPR_RBX);
	exit->hypercall.args[1] = gpr(vcpu, HV_GPR_RCX);
	exit->hypercall.args[2] = gpr(vcpu, HV_GPR_RDX);
	exit->hypercall.args[3] = gpr(vcpu, HV_GPR_RSI);
	return 0;
}

/* Port I/O goes to the caller, the instruction already done (but for IN's data). */
static int handle_io(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	uint8_t size = exit->info.io.size;
	uint32_t mask = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;

	exit->reason = HV_EXIT_IO;
	exit->io.port = exit->info.io.port;
	exit->io.size = size;
	exit->io.in = exit->info.io.in;
	exit->io.string = exit->info.io.string;
	exit->io.rep = exit->info.io.rep;
	exit->io.data = exit->io.in ? 0 : (uint32_t)(gpr(vcpu, HV_GPR_RAX) & mask);
	skip(vcpu, exit);
	return 0;
}

static int handle_cpuid(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	uint32_t leaf = (uint32_t)gpr(vcpu, HV_GPR_RAX);
	struct arch_cpuid r;

	arch_cpuid(leaf, (uint32_t)gpr(vcpu, HV_GPR_RCX), &r);
	/*
	 * A vCPU of a VM has the virtual APIC (hv/vlapic.h), whatever the host
	 * has, unless its guest owns the processor's (hv/vm.h). EDX[9] follows
	 * IA32_APIC_BASE.EN (SDM vol. 3 §10.4.3); EBX[31:24] is the initial
	 * APIC ID, which later ID writes do not change.
	 */
	if (vcpu->vm && leaf == 1 && !vcpu->vm->config.apic_passthrough) {
		if (vcpu->apic.apic_base & MSR_APIC_BASE_EN)
			r.edx |= CPUID_1_EDX_APIC;
		else
			r.edx &= ~CPUID_1_EDX_APIC;
		r.ecx |= CPUID_1_ECX_X2APIC;
		/* ECX[24]: the TSC-deadline timer, where the backend can run it. */
		if (vcpu->apic.tsc_deadline_timer)
			r.ecx |= CPUID_1_ECX_TSC_DEADLINE;
		else
			r.ecx &= ~CPUID_1_ECX_TSC_DEADLINE;
		r.ebx = (r.ebx & 0x00ffffffu) | (vcpu->id << 24);
	}
	set_gpr(vcpu, HV_GPR_RAX, r.eax);
	set_gpr(vcpu, HV_GPR_RBX, r.ebx);
	set_gpr(vcpu, HV_GPR_RCX, r.ecx);
	set_gpr(vcpu, HV_GPR_RDX, r.edx);
	skip(vcpu, exit);
	return 1;
}

/* #GP(0) on the next entry, for an access the virtual APIC refuses. */
static void queue_gp(struct hv_vcpu *vcpu)
{
	vcpu->exception.valid = true;
	vcpu->exception.event = (struct hv_vcpu_event){
		.type = HV_INJ_EXCEPTION, .vector = X86_VEC_GP, .has_error_code = true,
		.error_code = 0,
	};
}

/*
 * RDMSR/WRMSR of a VM's vCPU: the virtual APIC's MSRs, and the ones its
 * backend keeps for itself (ops->emulate_msr); EDX:EAX is the value.
 */
static int handle_msr(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	uint32_t msr = (uint32_t)gpr(vcpu, HV_GPR_RCX);
	bool write = exit->info.msr.write, ok;
	uint64_t value = 0;

	if (!vcpu->vm)
		return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
	if (write)
		value = (gpr(vcpu, HV_GPR_RAX) & 0xffffffffull) | (gpr(vcpu, HV_GPR_RDX) << 32);
	if (hv_vlapic_owns_msr(msr)) {
		ok = write ? hv_vlapic_wrmsr(&vcpu->apic, msr, value)
			   : hv_vlapic_rdmsr(&vcpu->apic, msr, &value);
	} else {
		enum hv_msr_result r = vcpu->ops->emulate_msr
					       ? vcpu->ops->emulate_msr(vcpu, msr, write, &value)
					       : HV_MSR_UNHANDLED;

		if (r == HV_MSR_UNHANDLED)
			return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
		ok = r == HV_MSR_OK;
	}
	if (!ok) {
		/* A fault: RIP stays at the instruction. */
		queue_gp(vcpu);
		return 1;
	}
	if (!write) {
		set_gpr(vcpu, HV_GPR_RAX, value & 0xffffffffull);
		set_gpr(vcpu, HV_GPR_RDX, value >> 32);
	}
	skip(vcpu, exit);
	return 1;
}

/* A second-level fault: only the xAPIC page of a VM is the core's. */
static int handle_gpa_fault(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	uint64_t gpa = exit->info.gpa_fault.gpa;

	if (!hv_mmio_apic_page(vcpu, gpa))
		return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
	return hv_mmio_emulate(vcpu, gpa, exit->info.gpa_fault.access, exit);
}

static int handle_exception(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	exit->reason = HV_EXIT_EXCEPTION;
	exit->exception.source = HV_EXC_INTERCEPT;
	exit->exception.vector = exit->info.exception.vector;
	exit->exception.error_code = exit->info.exception.error_code;
	exit->exception.rip = vcpu->ops->get_rip(vcpu);
	return 0;
}

int hv_handle_exit(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	vcpu->stats.exits++;
	exit->kind = HV_EXIT_KIND_OTHER;
	hv_memset(&exit->info, 0, sizeof(exit->info));
	if (vcpu->ops->decode_exit(vcpu, exit))
		return 1;

	switch (exit->kind) {
	case HV_EXIT_KIND_ENTRY_FAILED:
		exit->reason = HV_EXIT_FAIL_ENTRY;
		exit->fail_entry.hardware_entry_failure_reason = exit->raw.reason;
		return 0;
	case HV_EXIT_KIND_NMI:
	case HV_EXIT_KIND_INTR:
		/* Physical events: the host takes them once they are unblocked again. */
		return 1;
	case HV_EXIT_KIND_EXCEPTION:
		return handle_exception(vcpu, exit);
	case HV_EXIT_KIND_HYPERCALL:
		return handle_hypercall(vcpu, exit);
	case HV_EXIT_KIND_HLT:
		skip(vcpu, exit);
		hv_vcpu_set_mp_state(vcpu, HV_MP_STATE_HALTED);
		/* In a VM the core waits for the wake-up itself (hv/vm.h). */
		if (vcpu->vm)
			return 1;
		exit->reason = HV_EXIT_HLT;
		return 0;
	case HV_EXIT_KIND_PAUSE:
		if (!vcpu->vm)
			break;
		/*
		 * The guest is waiting for another vCPU: let the other processors
		 * run, and do not count it towards the internal-exit loop guard.
		 */
		skip(vcpu, exit);
		vcpu->internal_exits = 0;
		arch_cpu_pause();
		return 1;
	case HV_EXIT_KIND_MSR:
		return handle_msr(vcpu, exit);
	case HV_EXIT_KIND_IO:
		return handle_io(vcpu, exit);
	case HV_EXIT_KIND_CPUID:
		return handle_cpuid(vcpu, exit);
	case HV_EXIT_KIND_SHUTDOWN:
		exit->reason = HV_EXIT_SHUTDOWN;
		return 0;
	case HV_EXIT_KIND_GPA_FAULT:
		return handle_gpa_fault(vcpu, exit);
	case HV_EXIT_KIND_INIT:
		if (!vcpu->vm || !vcpu->vm->config.apic_passthrough)
			break;
		/* The guest's INIT reached the processor (hv/vm.h): wait for its SIPI. */
		hv_mp_init(vcpu);
		vcpu->ops->set_wait_state(vcpu, HV_MP_STATE_INIT_RECEIVED);
		return 1;
	case HV_EXIT_KIND_SIPI:
		if (!vcpu->vm || !vcpu->vm->config.apic_passthrough)
			break;
		/* hv_vm_stop's start-up IPI (mp.c) starts nothing. */
		if (!hv_vm_stopped(vcpu->vm) &&
		    hv_vcpu_get_mp_state(vcpu) == HV_MP_STATE_INIT_RECEIVED)
			hv_vcpu_deliver_sipi(vcpu, exit->info.sipi.vector);
		return 1;
	case HV_EXIT_KIND_TIMER:
		/* The virtual APIC's timer: the next entry fires it (timer.c). */
		if (!vcpu->vm)
			break;
		return 1;
	default:
		break;
	}
	return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
}
