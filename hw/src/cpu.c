/* SPDX-License-Identifier: MIT */
/*
 * The processors' descriptor tables and the processor services of arch.h.
 * The GDT itself comes from boot.S; this adds each processor's TSS (whose
 * IST stack lets #DF, NMI and #MC report even when the stack is gone) and
 * the IDT, whose 256 gates all lead to hw_trap. The GDT and the IDT are
 * shared by every processor; the TSS and its stacks are not.
 */
#include "vx/arch.h"
#include "hw.h"
#include "hw_asm.h"
#include "percpu.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* 64-bit interrupt gate (APM vol. 2 §4.8.4, figure 4-24). */
struct hw_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hw_gate) == 16, "64-bit gate size");

struct hw_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern uint64_t hw_gdt[HW_GDT_SLOTS];
extern const char hw_isr_stubs[];

static struct hw_gate hw_idt[256];

#define HW_IST_CRITICAL 1 /* IST slot used by #DF, NMI and #MC */

/* The calling processor's TSS, in its own descriptor slot. */
static void tss_install(void)
{
	struct hw_cpu *c = hw_cpu_self();
	struct hw_cpu_area *a = &hw_cpu_areas[c->area];
	uint64_t base = (uint64_t)(uintptr_t)&c->tss;
	uint64_t limit = sizeof(c->tss) - 1;
	uint16_t sel = (uint16_t)HW_SEL_TSS(c->area);
	/* System descriptor type 9: available 64-bit TSS; P = 1. */
	uint64_t type_p = (0x9ull << 40) | (1ull << 47);

	c->tss.ist[HW_IST_CRITICAL - 1] = (uint64_t)(uintptr_t)(a->ist_stack + sizeof(a->ist_stack));
	c->tss.iopb = sizeof(c->tss); /* no I/O permission bitmap */
	hw_gdt[sel / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | type_p |
			  ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	hw_gdt[sel / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"(sel));
}

static void idt_load(void)
{
	struct hw_dtr idtr;

	idtr.limit = sizeof(hw_idt) - 1;
	idtr.base = (uint64_t)(uintptr_t)hw_idt;
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

static void idt_build(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t off = (uint64_t)(uintptr_t)(hw_isr_stubs + v * HW_ISR_STUB_SIZE);
		struct hw_gate *g = &hw_idt[v];

		g->offset_lo = off & 0xffff;
		g->selector = HW_SEL_CODE64;
		g->ist = (v == X86_VEC_DF || v == X86_VEC_NMI || v == X86_VEC_MC) ? HW_IST_CRITICAL : 0;
		g->type_attr = 0x80 | X86_SEG_TYPE_INTR_GATE; /* P, DPL 0 */
		g->offset_mid = off >> 16 & 0xffff;
		g->offset_hi = off >> 32;
	}
}

/*
 * The image itself uses no SSE (-mgeneral-regs-only), but guests share the
 * FPU/SSE state with the host, so it is enabled the way an operating system
 * would (APM vol. 2 §11.3): CR0.MP set, CR0.EM and TS clear, OSFXSR and
 * OSXMMEXCPT set.
 */
static void sse_enable(void)
{
	uint64_t cr0 = hw_read_cr0(), cr4 = hw_read_cr4();

	cr0 = (cr0 | X86_CR0_MP) & ~(X86_CR0_EM | X86_CR0_TS);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
}

/*
 * The legacy 8259 PICs may still have lines unmasked by the firmware. The
 * image runs with RFLAGS.IF clear, but a guest with IF set and no INTR
 * intercept would take them through its own IDT: mask both PICs so only
 * what a scenario asks for reaches a guest.
 */
static void pic_mask(void)
{
	hw_outb(0xa1, 0xff);
	hw_outb(0x21, 0xff);
}

uint64_t hw_cpu_tss_base(void)
{
	return (uint64_t)(uintptr_t)&hw_cpu_self()->tss;
}

uint16_t hw_cpu_tss_selector(void)
{
	return (uint16_t)HW_SEL_TSS(hw_cpu_self()->area);
}

void hw_cpu_init(void)
{
	hw_percpu_init_bsp();
	idt_build();
	idt_load();
	tss_install();
	sse_enable();
	pic_mask();
}

/* An application processor, just arrived in long mode with the shared GDT
 * and page tables: the shared IDT, its own TSS, and SSE as on the BSP. */
void hw_cpu_init_ap(void)
{
	idt_load();
	tss_install();
	sse_enable();
}

/*
 * The processor state a scenario may have changed through arch.h, put back
 * as boot left it, so that each scenario starts on the same processor (the
 * model gives each one a fresh machine). GIF is set before EFER.SVME is
 * cleared; instructions that fault because their feature is off or absent
 * (STGI without SVME, VMXOFF outside VMX operation) have nothing to undo.
 */
void hw_cpu_reset(void)
{
	uint64_t efer = 0;

	arch_irq_disable();
	(void)arch_vmxoff();
	(void)arch_stgi();
	(void)arch_wrmsr(MSR_VM_HSAVE_PA, 0);
	if (arch_rdmsr(MSR_EFER, &efer) == ARCH_OK && (efer & X86_EFER_SVME))
		(void)arch_wrmsr(MSR_EFER, efer & ~X86_EFER_SVME);
	/* VMLOAD may have loaded any TR, LDTR, FS and GS; the TSS descriptor
	 * is rewritten as available so that LTR accepts it again. */
	tss_install();
	__asm__ volatile("lldt %w0" : : "r"((uint16_t)0));
	__asm__ volatile("mov %w0, %%fs; mov %w0, %%gs" : : "r"((uint16_t)0));
	(void)arch_wrmsr(MSR_FS_BASE, 0);
	(void)arch_wrmsr(MSR_GS_BASE, 0);
	(void)arch_wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void arch_cpu_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

void arch_cpuid(uint32_t leaf, uint32_t subleaf, struct arch_cpuid *out)
{
	__asm__ volatile("cpuid"
			 : "=a"(out->eax), "=b"(out->ebx), "=c"(out->ecx), "=d"(out->edx)
			 : "a"(leaf), "c"(subleaf));
}

uint64_t arch_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
