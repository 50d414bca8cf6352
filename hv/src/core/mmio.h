/* SPDX-License-Identifier: MIT */
/*
 * Private to the core: emulating a guest load or store that a second-level
 * fault stopped, in a page that is a device's rather than memory. The only
 * such page is the virtual APIC's xAPIC page (hv/vlapic.h) of a VM with
 * nested paging (hv/vm.h).
 */
#ifndef HV_SRC_CORE_MMIO_H
#define HV_SRC_CORE_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"

/* Is gpa in the xAPIC page of a vCPU whose VM uses nested paging? */
bool hv_mmio_apic_page(const struct hv_vcpu *vcpu, uint64_t gpa);

/*
 * A second-level fault at gpa in that page (access: HV_GPA_*): performs
 * the guest's instruction and resumes after it (1), or fills *exit with
 * HV_INTERNAL_EMULATION for the caller (0).
 */
int hv_mmio_emulate(struct hv_vcpu *vcpu, uint64_t gpa, uint32_t access, struct hv_exit *exit);

#endif
