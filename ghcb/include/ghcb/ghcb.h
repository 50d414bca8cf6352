/* SPDX-License-Identifier: MIT */
/*
 * The Guest-Hypervisor Communication Block of SEV-ES (AMD's GHCB
 * specification, publication 56421; facts §(b)): the 4 KiB page through
 * which an SEV-ES guest's #VC handler and its hypervisor exchange the state
 * of a non-automatic exit. One definition for both sides; freestanding.
 *
 * The save area has the layout of the VMSA's, of which the protocol uses
 * the fields GHCB_FIELDS lists. A field counts only when its bit in
 * valid_bitmap is set; that bit is the field's offset / 8 (spec §2.3.2).
 * ghcb_set_<field> writes a field and sets its bit, ghcb_get_<field>
 * reads it, ghcb_<field>_is_valid tests the bit.
 *
 * Who may include it: ghcb/, hv/, conformance/, svm-model/, tests.
 */
#ifndef GHCB_GHCB_H
#define GHCB_GHCB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GHCB_PAGE_SIZE 4096u

/* X(field, offset, type): the save-area fields of the protocol (facts §(b) table). */
#define GHCB_FIELDS(X)                           \
	X(cpl, 0x0cb, uint8_t)                   \
	X(xss, 0x140, uint64_t)                  \
	X(dr7, 0x160, uint64_t)                  \
	X(rip, 0x178, uint64_t)                  \
	X(rsp, 0x1d8, uint64_t)                  \
	X(rax, 0x1f8, uint64_t)                  \
	X(rcx, 0x308, uint64_t)                  \
	X(rdx, 0x310, uint64_t)                  \
	X(rbx, 0x318, uint64_t)                  \
	X(rbp, 0x328, uint64_t)                  \
	X(rsi, 0x330, uint64_t)                  \
	X(rdi, 0x338, uint64_t)                  \
	X(r8, 0x340, uint64_t)                   \
	X(r9, 0x348, uint64_t)                   \
	X(r10, 0x350, uint64_t)                  \
	X(r11, 0x358, uint64_t)                  \
	X(r12, 0x360, uint64_t)                  \
	X(r13, 0x368, uint64_t)                  \
	X(r14, 0x370, uint64_t)                  \
	X(r15, 0x378, uint64_t)                  \
	X(sw_exit_code, 0x390, uint64_t)         \
	X(sw_exit_info_1, 0x398, uint64_t)       \
	X(sw_exit_info_2, 0x3a0, uint64_t)       \
	X(sw_scratch, 0x3a8, uint64_t)           \
	X(xcr0, 0x3e8, uint64_t)

struct ghcb_save_area {
	uint8_t reserved_000[0x0cb];
	uint8_t cpl;                   /* 0x0cb */
	uint8_t reserved_0cc[0x74];
	uint64_t xss;                  /* 0x140 */
	uint8_t reserved_148[0x18];
	uint64_t dr7;                  /* 0x160 */
	uint8_t reserved_168[0x10];
	uint64_t rip;                  /* 0x178 */
	uint8_t reserved_180[0x58];
	uint64_t rsp;                  /* 0x1d8 */
	uint8_t reserved_1e0[0x18];
	uint64_t rax;                  /* 0x1f8 */
	uint8_t reserved_200[0x108];
	uint64_t rcx;                  /* 0x308 */
	uint64_t rdx;
	uint64_t rbx;
	uint64_t reserved_320;
	uint64_t rbp;                  /* 0x328 */
	uint64_t rsi;
	uint64_t rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15; /* 0x340-0x378 */
	uint8_t reserved_380[0x10];
	uint64_t sw_exit_code;         /* 0x390 */
	uint64_t sw_exit_info_1;
	uint64_t sw_exit_info_2;
	uint64_t sw_scratch;           /* 0x3a8 */
	uint8_t reserved_3b0[0x38];
	uint64_t xcr0;                 /* 0x3e8 */
	uint8_t valid_bitmap[16];      /* 0x3f0: bit n = the quadword at n * 8 */
	uint64_t x87_state_gpa;        /* 0x400 */
};

struct ghcb {
	struct ghcb_save_area save;
	uint8_t reserved_408[0x800 - 0x408];
	uint8_t shared_buffer[0x7f0];  /* 0x800-0xfef: scratch for string I/O, MMIO... */
	uint8_t reserved_ff0[10];
	uint16_t protocol_version;     /* 0xffa */
	uint32_t ghcb_usage;           /* 0xffc: 0, the standard layout */
};

#define GHCB_CHECK_OFFSET(name, off, type)                                        \
	_Static_assert(offsetof(struct ghcb_save_area, name) == (off), "GHCB " #name); \
	_Static_assert(sizeof(((struct ghcb_save_area *)0)->name) == sizeof(type), "GHCB " #name);
GHCB_FIELDS(GHCB_CHECK_OFFSET)
#undef GHCB_CHECK_OFFSET
_Static_assert(offsetof(struct ghcb_save_area, valid_bitmap) == 0x3f0, "GHCB valid_bitmap");
_Static_assert(sizeof(struct ghcb_save_area) == 0x408, "GHCB save area");
_Static_assert(offsetof(struct ghcb, shared_buffer) == 0x800, "GHCB shared buffer");
_Static_assert(offsetof(struct ghcb, protocol_version) == 0xffa, "GHCB protocol version");
_Static_assert(offsetof(struct ghcb, ghcb_usage) == 0xffc, "GHCB usage");
_Static_assert(sizeof(struct ghcb) == GHCB_PAGE_SIZE, "GHCB page");

/* The valid-bitmap bit of the quadword at save-area offset off. */
static inline unsigned ghcb_bit(size_t off)
{
	return (unsigned)(off / 8);
}

static inline bool ghcb_bit_test(const struct ghcb *g, unsigned bit)
{
	return (g->save.valid_bitmap[bit / 8] >> (bit % 8)) & 1u;
}

static inline void ghcb_bit_set(struct ghcb *g, unsigned bit)
{
	g->save.valid_bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* Every field invalid (a hypervisor does it as it takes a request). */
static inline void ghcb_clear_valid(struct ghcb *g)
{
	for (unsigned i = 0; i < sizeof(g->save.valid_bitmap); i++)
		g->save.valid_bitmap[i] = 0;
}

#define GHCB_ACCESSORS(name, off, type)                                             \
	static inline bool ghcb_##name##_is_valid(const struct ghcb *g)             \
	{                                                                           \
		return ghcb_bit_test(g, ghcb_bit(off));                             \
	}                                                                           \
	static inline type ghcb_get_##name(const struct ghcb *g)                    \
	{                                                                           \
		return g->save.name;                                                \
	}                                                                           \
	static inline void ghcb_set_##name(struct ghcb *g, type value)              \
	{                                                                           \
		g->save.name = value;                                               \
		ghcb_bit_set(g, ghcb_bit(off));                                     \
	}
GHCB_FIELDS(GHCB_ACCESSORS)
#undef GHCB_ACCESSORS

/*
 * The answer to a NAE event (spec §2.6; facts §(b) "NAE return
 * convention"): sw_exit_info_1[31:0] says what, sw_exit_info_2 carries the
 * exception to raise or the error.
 */
enum ghcb_nae_result {
	GHCB_HV_RESP_NO_ACTION = 0,
	GHCB_HV_RESP_ISSUE_EXCEPTION = 1, /* sw_exit_info_2: EVENTINJ format */
	GHCB_HV_RESP_MALFORMED_INPUT = 2, /* sw_exit_info_2: enum ghcb_error */
};

enum ghcb_error {
	GHCB_ERR_NOT_REGISTERED = 1,
	GHCB_ERR_INVALID_USAGE = 2,
	GHCB_ERR_INVALID_SCRATCH_AREA = 3,
	GHCB_ERR_MISSING_INPUT = 4,
	GHCB_ERR_INVALID_INPUT = 5,
	GHCB_ERR_INVALID_EVENT = 6,
};

/* A scratch area outside the GHCB page may span at most this many bytes (16 pages). */
#define GHCB_SCRATCH_AREA_LIMIT (16u * GHCB_PAGE_SIZE)

/*
 * May a NAE event use len bytes at guest-physical scratch, the GHCB being
 * at ghcb_gpa? Inside the GHCB page only within the shared buffer; outside
 * it at most GHCB_SCRATCH_AREA_LIMIT bytes, not wrapping. False is
 * GHCB_ERR_INVALID_SCRATCH_AREA.
 */
bool ghcb_scratch_ok(uint64_t ghcb_gpa, uint64_t scratch, uint64_t len);

#endif
