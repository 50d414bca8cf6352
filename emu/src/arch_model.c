/* SPDX-License-Identifier: MIT */
/*
 * include/vx/arch.h on the model platform. The hypervisor code runs
 * natively on the host, on the coroutine of the model processor it believes
 * it runs on; each seam call is that processor executing one instruction.
 */
#include <stdlib.h>
#include <string.h>

#include "apic-model/apic_model.h"
#include "emu_internal.h"
#include "svm-model/svm_model.h"
#include "vmx-model/vmx_model.h"
#include "x86/cpu.h"

static struct emu_cpu *self(void)
{
	struct emu_cpu *cpu = emu_current_cpu();

	if (!cpu) {
		/* Only code running inside emu_machine_run may use the seam. */
		abort();
	}
	return cpu;
}

/* A seam call is one host instruction: its cost, then the boundary after it. */
static void host_op(struct emu_cpu *cpu)
{
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_HOST_OP);
	cpu->m->vext->host_events(cpu);
}

uint32_t arch_cpu_index(void)
{
	return self()->index;
}

uint32_t arch_cpu_count(void)
{
	return self()->m->cfg.ncpus;
}

int arch_cpu_start(uint32_t idx, void (*fn)(void *arg), void *arg)
{
	struct emu_cpu *cpu = self();
	struct emu_cpu *t;

	if (idx >= cpu->m->cfg.ncpus || idx == cpu->index)
		return -1;
	t = &cpu->m->cpu[idx];
	/* One that INIT took from the platform: start it again, as the
	 * hardware image does with its own INIT-SIPI-SIPI. */
	emu_reclaim(t);
	if (emu_cpu_launch(t, fn, arg) != 0)
		return -1;
	/* fn starts with the extension off and IF clear, as the hardware image
	 * leaves a processor between functions (hw_cpu_reset). */
	t->host_if = false;
	cpu->m->vext->host_reset(t);
	/* The started processor begins now on the shared clock. */
	if (t->cycle < cpu->cycle)
		t->cycle = cpu->cycle;
	host_op(cpu);
	return 0;
}

bool arch_cpu_done(uint32_t idx)
{
	struct emu_cpu *cpu = self();

	return idx < cpu->m->cfg.ncpus && cpu->m->cpu[idx].state == EMU_CPU_DONE;
}

void arch_cpu_pause(void)
{
	struct emu_cpu *cpu = self();

	cpu->cycle += emu_costs_insn(cpu->m->costs, 0) + 9;
	emu_schedule_point(cpu);
	/* The boundary after it: an INIT or NMI that arrived meanwhile. */
	cpu->m->vext->host_events(cpu);
}

uint64_t arch_pages_alloc(uint32_t npages)
{
	struct emu_cpu *cpu = self();
	struct emu_machine *m = cpu->m;
	uint64_t pa = m->next_page, len = (uint64_t)npages * 4096;

	if (npages == 0 || len > m->ram_size || pa > m->ram_size - len)
		return 0;
	m->next_page += len;
	/* Zeroed, as the seam promises: a guest may have written anywhere. */
	memset(m->ram + pa, 0, len);
	return pa;
}

uint64_t arch_page_alloc(void)
{
	return arch_pages_alloc(1);
}

void *arch_phys_to_virt(uint64_t pa)
{
	struct emu_machine *m = self()->m;

	return emu_ram_ptr(m, pa, 1);
}

uint64_t arch_virt_to_phys(const void *va)
{
	struct emu_cpu *cpu = self();
	const uint8_t *p = va;

	if (p < cpu->m->ram || p >= cpu->m->ram + cpu->m->ram_size)
		emu_fatal(cpu, "arch_virt_to_phys: %p is not guest-physical memory", va);
	return (uint64_t)(p - cpu->m->ram);
}

void arch_cpuid(uint32_t leaf, uint32_t subleaf, struct arch_cpuid *out)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	emu_cpuid(cpu, leaf, subleaf, false, out);
}

arch_fault_t arch_rdmsr(uint32_t msr, uint64_t *value)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	return emu_msr_read(cpu, msr, value);
}

arch_fault_t arch_wrmsr(uint32_t msr, uint64_t value)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	return emu_msr_write(cpu, msr, value);
}

uint64_t arch_rdtsc(void)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	return cpu->cycle;
}

/* The other vendor's instructions are #UD, as on silicon. */
static struct emu_cpu *amd(void)
{
	struct emu_cpu *cpu = self();

	return cpu->m->cfg.vendor == EMU_VENDOR_AMD ? cpu : NULL;
}

static struct emu_cpu *intel(void)
{
	struct emu_cpu *cpu = self();

	return cpu->m->cfg.vendor == EMU_VENDOR_INTEL ? cpu : NULL;
}

arch_fault_t arch_vmrun(uint64_t vmcb_pa, struct arch_gprs *gprs)
{
	struct emu_cpu *cpu = amd();

	return cpu ? svm_model_vmrun(cpu, vmcb_pa, gprs) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmload(uint64_t vmcb_pa)
{
	struct emu_cpu *cpu = amd();

	return cpu ? svm_model_vmload(cpu, vmcb_pa) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmsave(uint64_t vmcb_pa)
{
	struct emu_cpu *cpu = amd();

	return cpu ? svm_model_vmsave(cpu, vmcb_pa) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_stgi(void)
{
	struct emu_cpu *cpu = amd();

	return cpu ? svm_model_stgi(cpu) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_clgi(void)
{
	struct emu_cpu *cpu = amd();

	return cpu ? svm_model_clgi(cpu) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmxon(uint64_t region_pa)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmxon(cpu, region_pa) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmxoff(void)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmxoff(cpu) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmclear(uint64_t vmcs_pa)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmclear(cpu, vmcs_pa) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmptrld(uint64_t vmcs_pa)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmptrld(cpu, vmcs_pa) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmread(uint64_t field, uint64_t *value)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmread(cpu, field, value) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmwrite(uint64_t field, uint64_t value)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmwrite(cpu, field, value) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmlaunch(struct arch_gprs *gprs)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmentry(cpu, gprs, false) : ARCH_FAULT(X86_VEC_UD);
}

arch_fault_t arch_vmresume(struct arch_gprs *gprs)
{
	struct emu_cpu *cpu = intel();

	return cpu ? vmx_model_vmentry(cpu, gprs, true) : ARCH_FAULT(X86_VEC_UD);
}

uint32_t arch_host_nmis(void)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	return cpu->host_nmis;
}

void arch_irq_enable(void)
{
	struct emu_cpu *cpu = self();

	/* No boundary check: an interrupt waits out the STI shadow, so it is
	 * taken at the next seam call (APM vol. 3 "STI"). */
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_HOST_OP);
	cpu->host_if = true;
}

void arch_irq_disable(void)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	cpu->host_if = false;
}

uint32_t arch_host_irqs(void)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	return cpu->host_irqs;
}

uint32_t arch_apic_read(uint32_t offset)
{
	struct emu_cpu *cpu = self();

	host_op(cpu);
	return apic_model_arch_read(cpu, offset);
}

void arch_apic_write(uint32_t offset, uint32_t value)
{
	struct emu_cpu *cpu = self();

	apic_model_arch_write(cpu, offset, value);
	emu_timed_sync(cpu);
	host_op(cpu);
}

void arch_apic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	struct emu_cpu *cpu = self();

	apic_model_send_ipi(cpu, dest, icr_low);
	host_op(cpu);
}

void arch_console_write(const char *s, size_t n)
{
	struct emu_machine *m = self()->m;

	if (m->cfg.console)
		m->cfg.console(m->cfg.console_user, s, n);
}

void arch_event(const struct hv_event *ev)
{
	emu_emit_event(self(), ev);
}
