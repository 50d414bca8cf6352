/* SPDX-License-Identifier: MIT */
/*
 * VMs: creating the vCPUs, and running one per processor (see hv/vm.h).
 */
#include "vx/arch.h"
#include "hv/backend.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "mp.h"
#include "x86/apic.h"

#define PAGE_SIZE 4096u

/*
 * Second-level tables (the backend's) that map the VM's RAM and nothing
 * else, the xAPIC page left out even where RAM would cover it, where the
 * processor has second-level translation.
 */
static int build_memory(struct hv_vm *vm, const struct hv_ram *ram)
{
	int rc;

	if (!vm->caps.slat)
		return HV_ENONPT;
	if (!ram || ram->nr_slots == 0)
		return HV_EINVAL;
	vm->apic_page = APIC_DEFAULT_BASE;
	rc = vm->ops->vm_memory_init(vm, vm->apic_page);
	for (uint32_t i = 0; rc == HV_OK && i < ram->nr_slots; i++)
		rc = vm->ops->vm_memory_map(vm, ram->slots[i].base, ram->slots[i].base,
					    ram->slots[i].size);
	vm->ram = ram;
	return rc;
}

int hv_vm_create(struct hv_vm *vm, const struct hv_vm_config *cfg, const struct hv_guest *guest)
{
	uint32_t pages = (uint32_t)((sizeof(struct hv_vcpu) + PAGE_SIZE - 1) / PAGE_SIZE);

	hv_memset(vm, 0, sizeof(*vm));
	if (cfg->nr_vcpus == 0 || cfg->nr_vcpus > HV_VM_MAX_VCPUS || !guest)
		return HV_EINVAL;
	vm->config = *cfg;
	vm->guest = guest;
	vm->ops = hv_backend_probe(&vm->caps);
	if (!vm->ops)
		return HV_ENOSVM;
	if (cfg->apic_passthrough && cfg->use_npt)
		return HV_EINVAL;
	if (cfg->apic_passthrough && (!vm->caps.wait_states || !vm->ops->set_wait_state))
		return HV_ENOTSUP;
	if (cfg->use_npt) {
		int rc = build_memory(vm, guest->ram);

		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < cfg->nr_vcpus; i++) {
		/* Every vCPU on the backend the VM's probe found. */
		struct hv_vcpu_config vc = { .id = i, .use_vnmi = cfg->use_vnmi, .ops = vm->ops };
		uint64_t pa = arch_pages_alloc(pages);
		struct hv_vcpu *vcpu;
		int rc;

		if (!pa)
			return HV_ENOMEM;
		vcpu = arch_phys_to_virt(pa);
		rc = hv_vcpu_create(vcpu, &vc, guest);
		if (rc)
			return rc;
		vcpu->vm = vm;
		/* On the VM's bus; its reset mode depends on the xAPIC page (NPT). */
		hv_mp_attach(vcpu);
		vcpu->ops->setup_mp(vcpu);
		/* As KVM creates them: the BSP runnable, the APs waiting for INIT. */
		vcpu->mp_state = i == 0 ? HV_MP_STATE_RUNNABLE : HV_MP_STATE_UNINITIALIZED;
		if (cfg->apic_passthrough)
			vcpu->ops->set_wait_state(vcpu, vcpu->mp_state);
		vm->vcpus[i] = vcpu;
		vm->nr_vcpus = i + 1;
	}
	return HV_OK;
}

struct hv_vcpu *hv_vm_vcpu(struct hv_vm *vm, uint32_t id)
{
	return id < vm->nr_vcpus ? vm->vcpus[id] : NULL;
}

void hv_vm_stop(struct hv_vm *vm)
{
	__atomic_store_n(&vm->stop, 1, __ATOMIC_SEQ_CST);
	/* Out of guest mode now rather than at some later exit (mp.c). */
	for (uint32_t i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->vm)
			hv_mp_kick(vm->vcpus[i]);
}

bool hv_vm_stopped(const struct hv_vm *vm)
{
	return vm && __atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE) != 0;
}

static void vcpu_loop(struct hv_vcpu *vcpu)
{
	struct hv_vm *vm = vcpu->vm;

	hv_mp_processor_setup(vcpu);
	for (;;) {
		struct hv_exit exit;

		if (hv_vcpu_run(vcpu, &exit) != HV_OK || exit.reason == HV_EXIT_INTR)
			break;
		if (!vm->config.on_exit || !vm->config.on_exit(vm, vcpu, &exit, vm->config.arg))
			break;
	}
	/* Its state back in memory, for whoever reads it after hv_vm_run. */
	if (vcpu->ops->vcpu_put)
		vcpu->ops->vcpu_put(vcpu);
}

/*
 * The VM's backend on the calling processor: does the processor have it
 * (the probe), then enable it.
 */
static int cpu_enable(const struct hv_vm *vm)
{
	return vm->ops->probe(NULL) ? vm->ops->cpu_enable() : HV_ENOSVM;
}

/* Processor i > 0: the backend on this processor, then vCPU i. */
static void ap_main(void *arg)
{
	struct hv_vcpu *vcpu = arg;
	int rc = cpu_enable(vcpu->vm);

	if (rc) {
		int none = HV_OK;

		__atomic_compare_exchange_n(&vcpu->vm->cpu_error, &none, rc, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
		hv_vm_stop(vcpu->vm);
		return;
	}
	vcpu_loop(vcpu);
}

int hv_vm_run(struct hv_vm *vm)
{
	uint32_t started = 1;
	int rc = HV_OK;

	if (vm->nr_vcpus == 0 || vm->nr_vcpus > arch_cpu_count() || arch_cpu_index() != 0)
		return HV_EINVAL;
	rc = cpu_enable(vm);
	if (rc)
		return rc;
	__atomic_store_n(&vm->stop, 0, __ATOMIC_RELEASE);
	vm->cpu_error = HV_OK;
	for (; started < vm->nr_vcpus; started++) {
		/* Set up here (hv_vm_create), it runs on processor `started`. */
		if (vm->ops->vcpu_put)
			vm->ops->vcpu_put(vm->vcpus[started]);
		if (arch_cpu_start(started, ap_main, vm->vcpus[started]) != 0) {
			rc = HV_EINVAL;
			hv_vm_stop(vm);
			break;
		}
	}
	if (rc == HV_OK)
		vcpu_loop(vm->vcpus[0]);
	hv_vm_stop(vm);
	for (uint32_t i = 1; i < started; i++) {
		while (!arch_cpu_done(i))
			arch_cpu_pause();
	}
	if (rc == HV_OK)
		rc = __atomic_load_n(&vm->cpu_error, __ATOMIC_ACQUIRE);
	return rc;
}
