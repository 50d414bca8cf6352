/* SPDX-License-Identifier: MIT */
/*
 * A VM: up to HV_VM_MAX_VCPUS vCPUs sharing one guest (memory, page
 * tables, GDT, IDT), one vCPU per physical processor. vCPU i runs on
 * processor i: hv_vm_run starts processors 1..n-1 with arch_cpu_start and
 * runs vCPU 0, the bootstrap vCPU, on the calling processor (which must be
 * processor 0). Each processor runs its own vCPU loop.
 *
 * Like KVM with an in-kernel irqchip, the core keeps inside the loop what a
 * multiprocessor guest needs: the virtual local APIC (hv/vlapic.h), INIT and
 * SIPI, HLT (the vCPU becomes HALTED until an interrupt, NMI, INIT or SIPI
 * arrives), PAUSE. vCPU 0 is the bootstrap vCPU and starts RUNNABLE at
 * the guest's entry; the others start UNINITIALIZED and wait for INIT and
 * SIPI (or for hv_vcpu_set_mp_state).
 *
 * Signalling between processors goes through memory: an IPI sets bits in
 * the target's IRR or mailbox (hv_vcpu.mailbox) with __atomic builtins. A
 * vCPU that is not RUNNABLE does not enter the guest; its processor polls
 * the mailbox with arch_cpu_pause(). A RUNNABLE vCPU takes its mailbox
 * before every VMRUN; one that is in guest mode is kicked out, as KVM does:
 * the sender sends a fixed physical IPI with HV_KICK_VECTOR to the
 * processor that runs it, which enters every guest with the host's IF set
 * and the INTR intercept on, so the IPI is a #VMEXIT(INTR); after the exit
 * STGI lets the host take it (the platform's handler EOIs it). So a guest
 * may wait for another vCPU however it likes; hv_vm_stop kicks every vCPU
 * too. Each processor that runs a vCPU has its APIC software-enabled for
 * the kicks (and leaves it so).
 *
 * With use_npt the VM runs under second-level address translation (SVM
 * nested paging, hv/svm_npt.h) and owns its memory: the guest is built in
 * the VM's RAM (hv/ram.h, hv_guest_config.ram) and one set of second-level
 * tables, shared by every vCPU, maps exactly that RAM onto the same
 * system-physical addresses. The tables are the backend's (its
 * vm_memory_* operations, hv/ops.h, in the VM's backend state). Nothing
 * else is present: not the core's VMCBs, vCPU structures and tables, not
 * the platform's code, data and stacks. A guest access anywhere else is a
 * second-level fault (SVM #VMEXIT(NPF)) that hv_vcpu_run hands to the
 * caller (on_exit) as HV_EXIT_INTERNAL_ERROR, HV_INTERNAL_UNEXPECTED_EXIT,
 * of kind HV_EXIT_KIND_GPA_FAULT with the faulting guest-physical address
 * in info.gpa_fault.gpa (and, for SVM, EXITINFO2 in raw.info2) — but for
 * the xAPIC page at 0xFEE00000, which is not present either: each vCPU's
 * virtual APIC comes out of reset in xAPIC mode, and every guest access to
 * that page is a fault the core emulates. Without use_npt the guest
 * reaches all of physical memory, as it did before VMs owned memory, and
 * the virtual APIC is x2APIC only (a guest access to 0xFEE00000 would
 * reach the processor's own APIC).
 *
 * The VM's backend is the one its vCPUs run on (each vCPU probes for it as
 * it is created); hv_vm_run enables it on every processor it uses.
 *
 * Where the backend has a guest timer (hv/ops.h; VMX: the preemption
 * timer), each virtual APIC has the TSC-deadline timer (hv/vlapic.h) and
 * CPUID.01H:ECX[24] says so. Its two exits — the guest's WRMSR of
 * IA32_TSC_DEADLINE and the guest timer's — take the exit fastpath of
 * KVM's "TSC-deadline timer emulation fastpath" series (seed 003): right
 * after the world switch, with only the exit reason read, the backend hands
 * them to the core (hv/src/core/timer.c), which performs them, chooses the
 * next entry's events as every entry does, and lets the backend enter again
 * at once — unless anything else waits (a post in the mailbox, an NMI, an
 * event to re-inject, a stop), in which case the exit goes the full way.
 * no_exit_fastpath sends every exit the full way; the guest sees the same
 * either way.
 *
 * Two ways to own the APIC (seed 001). By default the core's virtual APIC
 * traps every access and the core delivers INIT and SIPI itself, as KVM
 * does (above). With apic_passthrough the guest owns the processors'
 * APICs, as under a lightweight hypervisor that does not monitor them: no
 * APIC MSR is intercepted, the identity second-level tables (use_npt must
 * be off) reach the xAPIC page, and HLT does not exit. The guest's IPIs
 * are the physical APIC's, sent to physical APIC IDs; vCPU n runs on
 * processor n. An application vCPU waits in the guest: UNINITIALIZED
 * halted; a physical INIT reaching it exits (VMX: exit reason 3), the core
 * resets it as INIT does, makes it INIT_RECEIVED and enters it again
 * waiting for a SIPI; the SIPI's exit (reason 4) gives the vector, the
 * core sets CS:IP from it, makes the vCPU RUNNABLE and active and enters
 * it, and it starts. Only INIT and SIPI are the core's business here: a
 * fixed IPI a guest sends to another processor is a physical interrupt
 * that exits on it, which the host takes and the guest never sees. It
 * needs a backend with guest wait states (hv/ops.h: VMX with the HLT and
 * wait-for-SIPI activity states); hv_vm_stop ends a vCPU waiting for a
 * SIPI with a start-up IPI, since nothing else gets it out.
 *
 * Who may include it: hv/, conformance/.
 */
#ifndef HV_VM_H
#define HV_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/backend.h"
#include "hv/ram.h"
#include "hv/vcpu.h"

#define HV_VM_MAX_VCPUS 16u
/* The physical vector of kicks: the highest priority class, so no TPR holds it. */
#define HV_KICK_VECTOR 0xf2u

struct hv_vm;

/*
 * An exit the caller must see, on the processor that runs vcpu: true to
 * run the vCPU on, false to end that vCPU's loop (call hv_vm_stop to end
 * them all).
 */
typedef bool (*hv_vm_exit_fn)(struct hv_vm *vm, struct hv_vcpu *vcpu, struct hv_exit *exit,
			      void *arg);
/* Every MP-state change, on the processor that made it. */
typedef void (*hv_vm_mp_state_fn)(struct hv_vcpu *vcpu, uint32_t old_state, uint32_t new_state,
				  void *arg);

struct hv_vm_config {
	uint32_t nr_vcpus;          /* 1..HV_VM_MAX_VCPUS */
	bool use_vnmi;              /* as in struct hv_vcpu_config */
	bool use_npt;               /* nested paging and the xAPIC page (above) */
	bool no_exit_fastpath;      /* every exit the full way (above) */
	bool apic_passthrough;      /* the guest owns the APICs (above) */
	hv_vm_exit_fn on_exit;      /* NULL: any such exit ends the vCPU's loop */
	hv_vm_mp_state_fn on_mp_state; /* may be NULL */
	void *arg;
};

struct hv_vm {
	struct hv_vm_config config;
	const struct hv_guest *guest;
	uint32_t nr_vcpus;
	/* Each in pages from arch_pages_alloc, shared by all processors. */
	struct hv_vcpu *vcpus[HV_VM_MAX_VCPUS];
	const struct hv_vcpu_ops *ops; /* the backend the vCPUs run on */
	struct hv_backend_caps caps;   /* what its probe said */
	const struct hv_ram *ram; /* with use_npt: the guest's, all the VM reaches */
	uint64_t apic_page; /* with use_npt: the page the second-level tables leave out */
	uint32_t stop;      /* set by hv_vm_stop; every vCPU loop polls it */
	int cpu_error;      /* the first failure enabling the backend on a processor */
	/* The backend's own state (hv/backend.h): for SVM, the nested tables. */
	union hv_vm_backend backend;
};

/*
 * Creates the vCPUs for a guest built by hv_guest_build (on any processor;
 * nothing is entered yet), and with use_npt the second-level tables over
 * the RAM the guest was built in. Returns HV_OK, HV_EINVAL (vCPU count, or
 * use_npt for a guest built without RAM, apic_passthrough with use_npt),
 * HV_ENOMEM, HV_ENOSVM (no backend), HV_ENONPT when use_npt is asked of a
 * processor without second-level translation, or HV_ENOTSUP when
 * apic_passthrough is asked of a backend without guest wait states.
 */
int hv_vm_create(struct hv_vm *vm, const struct hv_vm_config *cfg, const struct hv_guest *guest);

/*
 * Runs every vCPU on its processor until all their loops end, then returns.
 * HV_EINVAL when the platform has fewer processors than vCPUs, the caller
 * is not processor 0, or a processor could not be started; otherwise
 * HV_OK or the first error a processor met enabling the backend.
 */
int hv_vm_run(struct hv_vm *vm);

/* Ends every vCPU loop at its next #VMEXIT or wait (any processor may call it). */
void hv_vm_stop(struct hv_vm *vm);
bool hv_vm_stopped(const struct hv_vm *vm);

/* vCPU id, or NULL. */
struct hv_vcpu *hv_vm_vcpu(struct hv_vm *vm, uint32_t id);

#endif
