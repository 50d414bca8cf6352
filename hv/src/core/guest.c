/* SPDX-License-Identifier: MIT */
/*
 * The guest builder (see hv/guest.h for the layout it produces): identity
 * page tables for 0-4 GiB with 2 MiB pages (APM vol. 2 §5.3), a flat GDT, an
 * IDT of 64-bit interrupt gates (§8.9.1) aimed at per-vector stubs, a stack
 * and the payload, in a VM's RAM (hv/ram.h) or in pages from the platform.
 */
#include "vx/arch.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/ram.h"
#include "x86/cpu.h"

#define PAGE_SIZE 4096ull
#define GUEST_LIMIT (4ull << 30) /* what the identity map covers */
#define STUB_COUNT 256u
#define STUBS_BYTES (STUB_COUNT * HV_GUEST_STUB_SIZE)
#define STUBS_PAGES 3u /* 8 KiB of stubs, then the built-in common handler */

/* GDT descriptors (APM vol. 2 §4.8): 64-bit code, data, 32-bit code. */
#define GDT_CODE64 0x00af9b000000ffffull
#define GDT_DATA   0x00cf93000000ffffull
#define GDT_CODE32 0x00cf9b000000ffffull

/* Vectors for which the processor pushes an error code (APM §8.2). */
static bool has_error_code(unsigned v)
{
	switch (v) {
	case X86_VEC_DF:
	case X86_VEC_TS:
	case X86_VEC_NP:
	case X86_VEC_SS:
	case X86_VEC_GP:
	case X86_VEC_PF:
	case X86_VEC_AC:
	case X86_VEC_CP:
	case X86_VEC_VC:
	case X86_VEC_SX:
		return true;
	}
	return false;
}

/* npages contiguous zeroed pages wholly below 4 GiB (in the VM's RAM, given one), or 0. */
static uint64_t alloc_low(struct hv_ram *ram, uint32_t npages)
{
	uint64_t pa = ram ? hv_ram_take(ram, npages)
			  : npages == 1 ? arch_page_alloc() : arch_pages_alloc(npages);

	if (pa == 0 || pa + (uint64_t)npages * PAGE_SIZE > GUEST_LIMIT)
		return 0;
	return pa;
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void build_page_tables(struct hv_guest *g, uint64_t pml4, uint64_t pdpt, uint64_t pd)
{
	uint64_t *l4 = arch_phys_to_virt(pml4);
	uint64_t *l3 = arch_phys_to_virt(pdpt);
	uint64_t *l2 = arch_phys_to_virt(pd);
	const uint64_t table = X86_PTE_P | X86_PTE_W | X86_PTE_A;
	const uint64_t large = X86_PTE_P | X86_PTE_W | X86_PTE_A | X86_PTE_D | X86_PTE_PS;

	l4[0] = pdpt | table;
	for (unsigned i = 0; i < 4; i++)
		l3[i] = (pd + i * PAGE_SIZE) | table;
	for (uint64_t j = 0; j < 4 * 512; j++)
		l2[j] = (j << 21) | large;
	g->cr3 = pml4;
	g->pd_pa = pd;
}

/*
 * One stub per vector: [push $0] push %rax; mov $(MAGIC|v),%eax;
 * jmp *target(%rip). The absolute jump lets the target be anywhere.
 */
static void build_stubs(struct hv_guest *g, uint64_t base, uint64_t common)
{
	uint8_t *p = arch_phys_to_virt(base);

	for (unsigned v = 0; v < STUB_COUNT; v++) {
		uint8_t *s = p + v * HV_GUEST_STUB_SIZE;
		unsigned n = 0;

		hv_memset(s, 0xcc, HV_GUEST_STUB_SIZE);
		if (!has_error_code(v)) {
			s[n++] = 0x6a; /* push $0 */
			s[n++] = 0x00;
		}
		s[n++] = 0x50; /* push %rax */
		s[n++] = 0xb8; /* mov $imm32, %eax */
		put_le(s + n, HV_GUEST_EXC_MAGIC | v, 4);
		n += 4;
		s[n++] = 0xff; /* jmp *0(%rip) */
		s[n++] = 0x25;
		put_le(s + n, 0, 4);
		n += 4;
		put_le(s + n, common, 8);
	}
	g->stubs_base = base;
}

/* vmmcall; pop %rax; add $8, %rsp; iretq */
static const uint8_t builtin_common[] = {
	0x0f, 0x01, 0xd9, 0x58, 0x48, 0x83, 0xc4, 0x08, 0x48, 0xcf,
};

int hv_guest_build(struct hv_guest *g, const struct hv_guest_config *cfg)
{
	uint32_t stack_pages = cfg->stack_pages ? cfg->stack_pages : 4;
	uint32_t payload_pages;
	uint64_t pml4, pdpt, pd, gdt, idt, stubs, stack, payload, common;
	uint64_t *gdt_p;

	if (!cfg->payload || cfg->payload_len == 0 || cfg->entry >= cfg->payload_len ||
	    (cfg->common_handler != HV_GUEST_BUILTIN && cfg->common_handler >= cfg->payload_len))
		return HV_EINVAL;
	payload_pages = (uint32_t)((cfg->payload_len + PAGE_SIZE - 1) / PAGE_SIZE);
	hv_memset(g, 0, sizeof(*g));

	if (cfg->ram && cfg->ram->nr_slots == 0)
		return HV_EINVAL;
	g->ram = cfg->ram;
	pml4 = alloc_low(cfg->ram, 1);
	pdpt = alloc_low(cfg->ram, 1);
	pd = alloc_low(cfg->ram, 4);
	gdt = alloc_low(cfg->ram, 1);
	idt = alloc_low(cfg->ram, 1);
	stubs = alloc_low(cfg->ram, STUBS_PAGES);
	stack = alloc_low(cfg->ram, stack_pages);
	payload = alloc_low(cfg->ram, payload_pages);
	if (!pml4 || !pdpt || !pd || !gdt || !idt || !stubs || !stack || !payload)
		return HV_ENOMEM;

	build_page_tables(g, pml4, pdpt, pd);

	gdt_p = arch_phys_to_virt(gdt);
	gdt_p[0] = 0;
	gdt_p[HV_GUEST_SEL_CODE64 / 8] = GDT_CODE64;
	gdt_p[HV_GUEST_SEL_DATA / 8] = GDT_DATA;
	gdt_p[HV_GUEST_SEL_CODE32 / 8] = GDT_CODE32;
	g->gdt_base = gdt;
	g->gdt_limit = 4 * 8 - 1;

	g->payload_base = payload;
	g->payload_len = cfg->payload_len;
	hv_memcpy(arch_phys_to_virt(payload), cfg->payload, cfg->payload_len);
	g->entry = payload + cfg->entry;

	if (cfg->common_handler == HV_GUEST_BUILTIN) {
		common = stubs + STUBS_BYTES;
		hv_memcpy(arch_phys_to_virt(common), builtin_common, sizeof(builtin_common));
		g->stubs_vmmcall = common;
	} else {
		common = payload + cfg->common_handler;
		g->stubs_vmmcall = 0;
	}
	build_stubs(g, stubs, common);

	g->idt_base = idt;
	g->idt_limit = STUB_COUNT * 16 - 1;
	for (unsigned v = 0; v < STUB_COUNT; v++)
		hv_guest_set_gate(g, (uint8_t)v, hv_guest_stub(g, (uint8_t)v));

	g->stack_base = stack;
	g->stack_top = stack + (uint64_t)stack_pages * PAGE_SIZE;
	return HV_OK;
}

void hv_guest_set_gate(struct hv_guest *g, uint8_t vector, uint64_t handler)
{
	uint8_t *e = (uint8_t *)arch_phys_to_virt(g->idt_base) + vector * 16u;

	put_le(e + 0, handler & 0xffff, 2);
	put_le(e + 2, HV_GUEST_SEL_CODE64, 2);
	e[4] = 0; /* IST 0 */
	e[5] = 0x80 | X86_SEG_TYPE_INTR_GATE; /* P, DPL 0, 64-bit interrupt gate */
	put_le(e + 6, (handler >> 16) & 0xffff, 2);
	put_le(e + 8, handler >> 32, 4);
	put_le(e + 12, 0, 4);
}

uint64_t hv_guest_stub(const struct hv_guest *g, uint8_t vector)
{
	return g->stubs_base + (uint64_t)vector * HV_GUEST_STUB_SIZE;
}

uint64_t hv_guest_addr(const struct hv_guest *g, size_t offset)
{
	return g->payload_base + offset;
}

void *hv_guest_ptr(const struct hv_guest *g, uint64_t gpa)
{
	(void)g;
	return arch_phys_to_virt(gpa);
}

uint64_t *hv_guest_pde(const struct hv_guest *g, uint64_t gva)
{
	if (gva >= GUEST_LIMIT)
		return NULL;
	return (uint64_t *)arch_phys_to_virt(g->pd_pa) + (gva >> 21);
}

bool hv_guest_stub_hit(const struct hv_guest *g, uint64_t rip, uint64_t rax, uint64_t rsp,
		       uint8_t *vector, struct hv_guest_frame *frame)
{
	if (g->stubs_vmmcall == 0 || rip != g->stubs_vmmcall ||
	    (rax & 0xffffffffull & HV_GUEST_EXC_MAGIC_MASK) != HV_GUEST_EXC_MAGIC || (rax >> 32))
		return false;
	/* Only a stack inside guest memory the builder handed out is read. */
	if (rsp < g->stack_base || rsp + sizeof(*frame) > g->stack_top)
		return false;
	*vector = (uint8_t)rax;
	hv_memcpy(frame, arch_phys_to_virt(rsp), sizeof(*frame));
	return true;
}
