/* SPDX-License-Identifier: MIT */
/*
 * The guest builder: memory for a standard 64-bit long-mode guest.
 *
 * Guest-physical addresses are system-physical addresses: without nested
 * paging because the processor uses them as they are, with it because a
 * VM's RAM is mapped onto the same addresses (hv/ram.h). The builder
 * identity-maps the first 4 GiB with 2 MiB pages (guest-virtual ==
 * guest-physical == system-physical) and places everything it allocates
 * below 4 GiB: in the VM's RAM, taken from the start of its slot 0, when
 * the guest is for a VM with nested paging (hv_guest_config.ram), else in
 * pages from the platform. It lays out:
 *
 *   - page tables (PML4, one PDPT, four page directories);
 *   - a GDT: 0x00 null, 0x08 64-bit code (CPL 0), 0x10 data, 0x18 32-bit code;
 *   - an IDT of 256 interrupt gates (selector 0x08, IST 0, DPL 0), each aimed
 *     at a per-vector stub unless a gate is set with hv_guest_set_gate;
 *   - a stack, and the payload bytes copied to page-aligned memory.
 *
 * The per-vector stubs make an unexpected event recognisable: each pushes a
 * zero error code when the CPU pushes none, pushes RAX, loads
 * RAX = HV_GUEST_EXC_MAGIC | vector and jumps to a common handler that
 * executes VMMCALL, then pops RAX, drops the error code and IRETQs. At that
 * VMMCALL the stack holds struct hv_guest_frame. The common handler is built
 * in unless the payload supplies its own (hv_guest_config.common_handler).
 *
 * Payloads are position-independent x86-64 code (RIP-relative data only);
 * offsets into them are label - start.
 *
 * Who may include it: hv/, conformance/.
 */
#ifndef HV_GUEST_H
#define HV_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HV_GUEST_SEL_CODE64 0x08u
#define HV_GUEST_SEL_DATA   0x10u
#define HV_GUEST_SEL_CODE32 0x18u

/* RAX at the stubs' VMMCALL: "EXC" in bits 31:8, the vector in 7:0. */
#define HV_GUEST_EXC_MAGIC 0x45584300u
#define HV_GUEST_EXC_MAGIC_MASK 0xffffff00u

/* No payload-supplied common handler: use the built-in one. */
#define HV_GUEST_BUILTIN ((size_t)-1)

struct hv_ram;

struct hv_guest_config {
	const void *payload;   /* position-independent code and data */
	size_t payload_len;
	size_t entry;          /* offset of the first instruction */
	size_t common_handler; /* offset, or HV_GUEST_BUILTIN */
	uint32_t stack_pages;  /* 0: 4 pages */
	/*
	 * The RAM of the VM the guest is for (hv/ram.h), which must have a slot
	 * 0; NULL: pages from the platform, for a guest without nested paging.
	 */
	struct hv_ram *ram;
};

struct hv_guest {
	uint64_t cr3;          /* PML4 */
	uint64_t pd_pa;        /* four contiguous page directories (0-4 GiB) */
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint64_t idt_base;
	uint16_t idt_limit;
	uint64_t stubs_base;   /* 256 stubs of HV_GUEST_STUB_SIZE bytes */
	uint64_t stubs_vmmcall;/* address of the common handler's VMMCALL */
	uint64_t stack_base;
	uint64_t stack_top;    /* initial RSP */
	uint64_t payload_base;
	size_t payload_len;
	uint64_t entry;        /* initial RIP */
	const struct hv_ram *ram; /* hv_guest_config.ram: where all of the above lies */
};

#define HV_GUEST_STUB_SIZE 32u

/* The stack at the stubs' VMMCALL (lowest address first). */
struct hv_guest_frame {
	uint64_t rax;          /* the interrupted RAX */
	uint64_t error_code;   /* the CPU's, or 0 when it pushes none */
	uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * Allocates and fills everything above. Returns HV_OK, HV_ENOMEM (also when
 * the RAM's slot 0 has too little room left) or HV_EINVAL.
 */
int hv_guest_build(struct hv_guest *g, const struct hv_guest_config *cfg);

/* Aims IDT entry vector at handler (a guest address). */
void hv_guest_set_gate(struct hv_guest *g, uint8_t vector, uint64_t handler);
/* The address of vector's default stub. */
uint64_t hv_guest_stub(const struct hv_guest *g, uint8_t vector);
/* Guest address of the payload byte at offset. */
uint64_t hv_guest_addr(const struct hv_guest *g, size_t offset);
/* Host pointer to guest-physical address gpa (identity: gpa is system-physical). */
void *hv_guest_ptr(const struct hv_guest *g, uint64_t gpa);
/* The 2 MiB page-directory entry mapping gva, or NULL at or above 4 GiB. */
uint64_t *hv_guest_pde(const struct hv_guest *g, uint64_t gva);

/*
 * Is the guest stopped at the stubs' VMMCALL (rip) with the stubs' RAX? Then
 * *vector and *frame (read from the guest stack at rsp) say what happened.
 */
bool hv_guest_stub_hit(const struct hv_guest *g, uint64_t rip, uint64_t rax, uint64_t rsp,
		       uint8_t *vector, struct hv_guest_frame *frame);

#endif
