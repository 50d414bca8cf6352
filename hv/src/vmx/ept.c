/* SPDX-License-Identifier: MIT */
/*
 * A VM's EPT paging structures (SDM vol. 3C §29.3.2), built by the tables
 * both backends share (hv/src/lib/s2pt.h), and the EPT pointer that names
 * them (§25.6.11). With use_npt they map exactly the VM's RAM, the xAPIC
 * page left out (hv/vm.h); without it, guest-physical 0-4 GiB onto the same
 * addresses, as SVM's guests reach physical memory directly — a VM's
 * vCPUs always run under EPT here, which unrestricted guest needs.
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/vm.h"
#include "hv/vmx.h"
#include "../lib/s2pt.h"
#include "vmx_backend.h"

#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_MEMTYPE_WB (6ull << 3)
#define EPT_LARGE (1ull << 7)
/* Accessed and dirty already set: the processor then never writes them (§29.3.5). */
#define EPT_AD ((1ull << 8) | (1ull << 9))
#define IDENTITY_LIMIT (4ull << 30)

static const struct hv_s2pt_format ept_format = {
	.present = EPT_R | EPT_W | EPT_X,
	.table = EPT_R | EPT_W | EPT_X,
	.leaf = EPT_R | EPT_W | EPT_X | EPT_MEMTYPE_WB | EPT_AD,
	.large = EPT_R | EPT_W | EPT_X | EPT_MEMTYPE_WB | EPT_LARGE | EPT_AD,
};

int vmx_vm_memory_init(struct hv_vm *vm, uint64_t hole)
{
	int rc = hv_s2pt_init(&vm->backend.vmx.ept_root, hole);

	if (rc == HV_OK)
		vm->backend.vmx.ept_hole = hole;
	return rc;
}

int vmx_vm_memory_map(struct hv_vm *vm, uint64_t gpa, uint64_t spa, uint64_t size)
{
	return hv_s2pt_map(&ept_format, vm->backend.vmx.ept_root, vm->backend.vmx.ept_hole, gpa,
			   spa, size);
}

bool vmx_vm_memory_translate(const struct hv_vm *vm, uint64_t gpa, uint64_t *spa)
{
	return hv_s2pt_translate(&ept_format, vm->backend.vmx.ept_root, gpa, spa);
}

/* The identity tables of a VM without use_npt, made by its first vCPU. */
int vmx_ept_identity(struct hv_vm *vm)
{
	int rc;

	if (vm->backend.vmx.ept_root)
		return HV_OK;
	/* The hole above what is mapped: nothing is left out. */
	rc = vmx_vm_memory_init(vm, IDENTITY_LIMIT);
	return rc ? rc : vmx_vm_memory_map(vm, 0, 0, IDENTITY_LIMIT);
}

/* Write-back, a 4-level walk (walk length - 1 in bits 5:3). */
uint64_t vmx_eptp(const struct hv_vm *vm)
{
	return vm->backend.vmx.ept_root | 6u | (3u << VMX_EPTP_WALK_LENGTH_SHIFT);
}
