/* SPDX-License-Identifier: MIT */
/*
 * The fuzz targets' platform (fake_arch.h): every function of hv/arch.h,
 * since the core's objects that a target pulls in name many of them. Only
 * memory behaves like memory; instructions fault with #UD, MSRs with
 * #GP, and nothing runs on another processor.
 */
#include <string.h>

#include "fake_arch.h"
#include "vx/arch.h"

#define PAGE 4096u
#define UD 6u
#define GP 13u

static _Alignas(4096) uint8_t ram[FAKE_RAM_SIZE];
static _Alignas(4096) uint8_t pool[FAKE_POOL_PAGES * PAGE];
static uint32_t pool_used;

void fake_arch_reset(void)
{
	memset(ram, 0, sizeof(ram));
}

void fake_pool_reset(void)
{
	memset(pool, 0, sizeof(pool));
	pool_used = 0;
}

uint8_t *fake_ram(void)
{
	return ram;
}

uint32_t arch_cpu_index(void) { return 0; }
uint32_t arch_cpu_count(void) { return 1; }
int arch_cpu_start(uint32_t idx, void (*fn)(void *arg), void *arg)
{
	(void)idx, (void)fn, (void)arg;
	return -1;
}
bool arch_cpu_done(uint32_t idx) { (void)idx; return true; }
void arch_cpu_pause(void) {}

uint64_t arch_pages_alloc(uint32_t npages)
{
	uint64_t pa;

	if (npages == 0 || npages > FAKE_POOL_PAGES - pool_used)
		return 0;
	pa = FAKE_POOL_BASE + (uint64_t)pool_used * PAGE;
	pool_used += npages;
	return pa;
}

uint64_t arch_page_alloc(void) { return arch_pages_alloc(1); }

void *arch_phys_to_virt(uint64_t pa)
{
	if (pa < sizeof(ram))
		return ram + pa;
	if (pa >= FAKE_POOL_BASE && pa - FAKE_POOL_BASE < sizeof(pool))
		return pool + (pa - FAKE_POOL_BASE);
	return NULL;
}

uint64_t arch_virt_to_phys(const void *va)
{
	const uint8_t *p = va;

	if (p >= ram && p < ram + sizeof(ram))
		return (uint64_t)(p - ram);
	if (p >= pool && p < pool + sizeof(pool))
		return FAKE_POOL_BASE + (uint64_t)(p - pool);
	return 0;
}

void arch_cpuid(uint32_t leaf, uint32_t subleaf, struct arch_cpuid *out)
{
	(void)leaf, (void)subleaf;
	memset(out, 0, sizeof(*out));
}
arch_fault_t arch_rdmsr(uint32_t msr, uint64_t *value)
{
	(void)msr;
	*value = 0;
	return ARCH_FAULT(GP);
}
arch_fault_t arch_wrmsr(uint32_t msr, uint64_t value)
{
	(void)msr, (void)value;
	return ARCH_FAULT(GP);
}
uint64_t arch_rdtsc(void) { return 0; }

arch_fault_t arch_vmrun(uint64_t vmcb_pa, struct arch_gprs *gprs)
{
	(void)vmcb_pa, (void)gprs;
	return ARCH_FAULT(UD);
}
arch_fault_t arch_vmload(uint64_t vmcb_pa) { (void)vmcb_pa; return ARCH_FAULT(UD); }
arch_fault_t arch_vmsave(uint64_t vmcb_pa) { (void)vmcb_pa; return ARCH_FAULT(UD); }
arch_fault_t arch_stgi(void) { return ARCH_FAULT(UD); }
arch_fault_t arch_clgi(void) { return ARCH_FAULT(UD); }

arch_fault_t arch_vmxon(uint64_t region_pa) { (void)region_pa; return ARCH_FAULT(UD); }
arch_fault_t arch_vmxoff(void) { return ARCH_FAULT(UD); }
arch_fault_t arch_vmclear(uint64_t vmcs_pa) { (void)vmcs_pa; return ARCH_FAULT(UD); }
arch_fault_t arch_vmptrld(uint64_t vmcs_pa) { (void)vmcs_pa; return ARCH_FAULT(UD); }
arch_fault_t arch_vmread(uint64_t field, uint64_t *value)
{
	(void)field;
	*value = 0;
	return ARCH_FAULT(UD);
}
arch_fault_t arch_vmwrite(uint64_t field, uint64_t value)
{
	(void)field, (void)value;
	return ARCH_FAULT(UD);
}
arch_fault_t arch_vmlaunch(struct arch_gprs *gprs) { (void)gprs; return ARCH_FAULT(UD); }
arch_fault_t arch_vmresume(struct arch_gprs *gprs) { (void)gprs; return ARCH_FAULT(UD); }

uint32_t arch_host_nmis(void) { return 0; }
void arch_irq_enable(void) {}
void arch_irq_disable(void) {}
uint32_t arch_host_irqs(void) { return 0; }

uint32_t arch_apic_read(uint32_t offset) { (void)offset; return 0; }
void arch_apic_write(uint32_t offset, uint32_t value) { (void)offset, (void)value; }
void arch_apic_send_ipi(uint32_t dest, uint32_t icr_low) { (void)dest, (void)icr_low; }

void arch_console_write(const char *s, size_t n) { (void)s, (void)n; }
void arch_event(const struct hv_event *ev) { (void)ev; }
