/* SPDX-License-Identifier: MIT */
/*
 * The EPT walk (vmx-model/ept.c) over tables built in a model machine's
 * RAM. Expected values are written out from SDM vol. 3C §29.3 (entry
 * formats, tables 29-1 to 29-6; misconfigurations §29.3.3.1; violations
 * §29.3.3.2; A/D flags §29.3.5) and table 28-7 (the exit qualification):
 * exit reason 48 is an EPT violation, 49 an EPT misconfiguration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "emu/src/emu_internal.h"
#include "vmx-model/caps.h"
#include "vmx-model/ept.h"
#include "x86/vmx.h"

/* One table per level; GPA uses entry 0 of the PML4 and entry 1 below. */
#define PML4  0x100000ull
#define PDPT  0x101000ull
#define PD    0x102000ull
#define PT    0x103000ull
#define GPA   0x40201234ull
#define FRAME 0xabcdef000ull
#define PML4E (PML4 + 0)
#define PDPTE (PDPT + 8)
#define PDE   (PD + 8)
#define PTE   (PT + 8)

/* Memory type WB (6) and page-walk length 4 - 1 in bits 5:3; bit 6 A/D. */
#define EPTP    (PML4 | 0x1e)
#define EPTP_AD (PML4 | 0x5e)

#define RWX 0x7ull
#define WB_LEAF 0x30ull /* memory type 6 in bits 5:3 */

#define VIOLATION 48u
#define MISCONFIG 49u

static struct emu_machine *m;
static struct vmx_caps caps;

struct outcome {
	int rc;
	uint32_t exit_reason;
	uint64_t qualification;
	uint64_t spa;
	bool writable, executable, dirty;
};

static uint64_t *at(uint64_t pa)
{
	uint64_t *p = emu_ram_ptr(m, pa, 8);

	assert_non_null(p);
	return p;
}

static void put(uint64_t pa, uint64_t v)
{
	*at(pa) = v;
}

static uint64_t get(uint64_t pa)
{
	return *at(pa);
}

static struct outcome walk_caps(const struct vmx_caps *c, uint64_t eptp, uint64_t gpa,
				enum emu_access acc, unsigned flags)
{
	struct emu_slat_leaf leaf = { 0 };
	struct vmx_ept_fault fault = { 0 };
	struct outcome o = { 0 };

	o.rc = vmx_ept_walk(&m->cpu[0], c, eptp, gpa, acc, flags, &leaf, &fault);
	if (o.rc == 0) {
		o.spa = leaf.spa;
		o.writable = leaf.writable;
		o.executable = leaf.executable;
		o.dirty = leaf.dirty;
	} else {
		o.exit_reason = fault.exit_reason;
		o.qualification = fault.qualification;
	}
	return o;
}

static struct outcome walk(uint64_t eptp, enum emu_access acc, unsigned flags)
{
	return walk_caps(&caps, eptp, GPA, acc, flags | VMX_EPT_SET_AD);
}

static void expect_leaf(struct outcome o, uint64_t spa, bool writable, bool executable)
{
	if (o.rc != 0)
		fail_msg("expected a translation, got exit reason %u, qualification 0x%llx",
			 o.exit_reason, (unsigned long long)o.qualification);
	assert_int_equal(o.spa, spa);
	assert_int_equal(o.writable, writable);
	assert_int_equal(o.executable, executable);
}

static void expect_violation(struct outcome o, uint64_t qualification)
{
	if (o.rc == 0)
		fail_msg("expected an EPT violation, got page 0x%llx", (unsigned long long)o.spa);
	assert_int_equal(o.exit_reason, VIOLATION);
	assert_int_equal(o.qualification, qualification);
}

static void expect_misconfig(struct outcome o)
{
	if (o.rc == 0)
		fail_msg("expected an EPT misconfiguration, got page 0x%llx",
			 (unsigned long long)o.spa);
	assert_int_equal(o.exit_reason, MISCONFIG);
	assert_int_equal(o.qualification, 0);
}

/* Every level present with R/W/X, a 4 KiB write-back page at FRAME. */
static int tables(void **state)
{
	(void)state;
	memset(emu_ram_ptr(m, PML4, 4 * 4096), 0, 4 * 4096);
	put(PML4E, PDPT | RWX);
	put(PDPTE, PD | RWX);
	put(PDE, PT | RWX);
	put(PTE, FRAME | WB_LEAF | RWX);
	return 0;
}

static int machine_up(void **state)
{
	struct emu_config cfg;
	struct vmx_caps_config cc;
	char err[256];

	(void)state;
	emu_config_default(&cfg);
	m = emu_machine_create(&cfg, err, sizeof(err));
	if (!m)
		return -1;
	vmx_caps_config_default(&cc);
	return vmx_caps_init(&caps, &cc) ? 0 : -1;
}

static int machine_down(void **state)
{
	(void)state;
	emu_machine_destroy(m);
	return 0;
}

#define T(f) cmocka_unit_test_setup(f, tables)

/* A 4 KiB page, every entry R/W/X. Expect: FRAME, writable, executable. */
static void test_4k_page(void **state)
{
	(void)state;
	expect_leaf(walk(EPTP, EMU_ACC_READ, 0), 0xabcdef000ull, true, true);
	expect_leaf(walk(EPTP, EMU_ACC_WRITE, 0), 0xabcdef000ull, true, true);
	expect_leaf(walk(EPTP, EMU_ACC_FETCH, 0), 0xabcdef000ull, true, true);
}

/* A PDE with bit 7 maps 2 MiB: bits 39:21 from it, 20:12 from the GPA. */
static void test_2m_page(void **state)
{
	(void)state;
	put(PDE, 0x7654200000ull | 0x80 | WB_LEAF | RWX);
	expect_leaf(walk(EPTP, EMU_ACC_READ, 0), 0x7654201000ull, true, true);
}

/* A PDPTE with bit 7 maps 1 GiB: bits 39:30 from it, 29:12 from the GPA. */
static void test_1g_page(void **state)
{
	(void)state;
	put(PDPTE, 0x8040000000ull | 0x80 | WB_LEAF | RWX);
	expect_leaf(walk(EPTP, EMU_ACC_READ, 0), 0x8040201000ull, true, true);
}

/* Without 1 GiB (2 MiB) page support bit 7 of a PDPTE (PDE) is reserved. Expect: misconfiguration. */
static void test_large_pages_unsupported(void **state)
{
	struct vmx_caps c = caps;

	(void)state;
	c.ept_vpid_cap &= ~(VMX_EPT_1GB_PAGE | VMX_EPT_2MB_PAGE);
	put(PDE, 0x7654200000ull | 0x80 | WB_LEAF | RWX);
	expect_misconfig(walk_caps(&c, EPTP, GPA, EMU_ACC_READ, 0));
	put(PDE, PT | RWX);
	put(PDPTE, 0x8040000000ull | 0x80 | WB_LEAF | RWX);
	expect_misconfig(walk_caps(&c, EPTP, GPA, EMU_ACC_READ, 0));
}

/* A not-present PTE. Expect: violation, access bit, R/W/X all 0, bits 7 and 8. */
static void test_not_present_leaf(void **state)
{
	(void)state;
	put(PTE, 0);
	expect_violation(walk(EPTP, EMU_ACC_READ, 0), 0x181);
	expect_violation(walk(EPTP, EMU_ACC_WRITE, 0), 0x182);
	expect_violation(walk(EPTP, EMU_ACC_FETCH, 0), 0x184);
}

/* A not-present PML4E (bits 2:0 clear), even with a reserved bit set. Expect: violation 0x181. */
static void test_not_present_pml4e(void **state)
{
	(void)state;
	put(PML4E, PDPT | 0x100);
	expect_violation(walk(EPTP, EMU_ACC_READ, 0), 0x181);
	put(PML4E, PDPT | 0x80);
	expect_violation(walk(EPTP, EMU_ACC_READ, 0), 0x181);
}

/* A write to a page whose PTE is R+X. Expect: violation, write, R and X (0x2|0x8|0x20|0x180). */
static void test_write_read_only(void **state)
{
	(void)state;
	put(PTE, FRAME | WB_LEAF | 0x5);
	expect_violation(walk(EPTP, EMU_ACC_WRITE, 0), 0x1aa);
	expect_leaf(walk(EPTP, EMU_ACC_READ, 0), 0xabcdef000ull, false, true);
}

/* A fetch where the PDE is R+W. Expect: violation, fetch, R and W (0x4|0x8|0x10|0x180). */
static void test_fetch_not_executable(void **state)
{
	(void)state;
	put(PDE, PT | 0x3);
	expect_violation(walk(EPTP, EMU_ACC_FETCH, 0), 0x19c);
	expect_leaf(walk(EPTP, EMU_ACC_WRITE, 0), 0xabcdef000ull, true, false);
}

/* Permissions are the AND of every level: a read-only PML4E. Expect: write violation 0x18a. */
static void test_permissions_and(void **state)
{
	(void)state;
	put(PML4E, PDPT | 0x1);
	expect_leaf(walk(EPTP, EMU_ACC_READ, 0), 0xabcdef000ull, false, false);
	expect_violation(walk(EPTP, EMU_ACC_WRITE, 0), 0x18a);
	expect_violation(walk(EPTP, EMU_ACC_FETCH, 0), 0x18c);
}

/* An execute-only PTE where supported. Expect: fetch allowed; read a violation (0x1|0x20|0x180). */
static void test_execute_only(void **state)
{
	(void)state;
	put(PTE, FRAME | WB_LEAF | 0x4);
	expect_leaf(walk(EPTP, EMU_ACC_FETCH, 0), 0xabcdef000ull, false, true);
	expect_violation(walk(EPTP, EMU_ACC_READ, 0), 0x1a1);
}

/* Execute-only without IA32_VMX_EPT_VPID_CAP bit 0, in a leaf or a PML4E. Expect: misconfiguration. */
static void test_execute_only_unsupported(void **state)
{
	struct vmx_caps_config cc;
	struct vmx_caps c;

	(void)state;
	vmx_caps_config_default(&cc);
	cc.ept_execute_only = false;
	assert_true(vmx_caps_init(&c, &cc));
	put(PTE, FRAME | WB_LEAF | 0x4);
	expect_misconfig(walk_caps(&c, EPTP, GPA, EMU_ACC_FETCH, 0));
	put(PTE, FRAME | WB_LEAF | RWX);
	put(PML4E, PDPT | 0x4);
	expect_misconfig(walk_caps(&c, EPTP, GPA, EMU_ACC_FETCH, 0));
}

/* Write without read (010b, 110b), at a leaf and at a PML4E. Expect: misconfiguration. */
static void test_write_without_read(void **state)
{
	(void)state;
	put(PTE, FRAME | WB_LEAF | 0x2);
	expect_misconfig(walk(EPTP, EMU_ACC_WRITE, 0));
	put(PTE, FRAME | WB_LEAF | 0x6);
	expect_misconfig(walk(EPTP, EMU_ACC_FETCH, 0));
	put(PTE, FRAME | WB_LEAF | RWX);
	put(PML4E, PDPT | 0x2);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
}

/* Bit 7 of a PML4E, and bit 3 (7:3 reserved, table 29-1). Expect: misconfiguration. */
static void test_pml4e_reserved(void **state)
{
	(void)state;
	put(PML4E, PDPT | 0x80 | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	put(PML4E, PDPT | 0x08 | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
}

/* Bits 6:3 of a PDPTE or PDE naming a table; 29:12 of a 1 GiB PDPTE; 20:12 of a 2 MiB PDE. */
static void test_reserved_bits(void **state)
{
	(void)state;
	put(PDE, PT | 0x40 | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	put(PDE, PT | RWX);
	put(PDPTE, PD | 0x08 | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	put(PDPTE, 0x8040000000ull | 0x20000000 | 0x80 | WB_LEAF | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	put(PDPTE, PD | RWX);
	put(PDE, 0x7654200000ull | 0x1000 | 0x80 | WB_LEAF | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
}

/* Address bits 51:40 are reserved at MAXPHYADDR 40. Expect: misconfiguration for bit 40 and bit 51. */
static void test_beyond_maxphyaddr(void **state)
{
	(void)state;
	put(PTE, (1ull << 40) | FRAME | WB_LEAF | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	put(PTE, FRAME | WB_LEAF | RWX);
	put(PML4E, (1ull << 51) | PDPT | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
}

/* Bits 63:52 and 11:10 are ignored, bit 6 (ignore PAT) is no reserved bit. Expect: the page. */
static void test_ignored_bits(void **state)
{
	(void)state;
	put(PML4E, 0xfff0000000000c00ull | PDPT | RWX);
	put(PTE, 0xfff0000000000c00ull | FRAME | 0x40 | WB_LEAF | RWX);
	expect_leaf(walk(EPTP, EMU_ACC_READ, 0), 0xabcdef000ull, true, true);
}

/* Memory types 2, 3, 7 in a leaf are reserved; 0, 1, 4, 5, 6 are not. */
static void test_leaf_memory_type(void **state)
{
	static const uint64_t bad[] = { 2, 3, 7 }, good[] = { 0, 1, 4, 5, 6 };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		put(PTE, FRAME | (bad[i] << 3) | RWX);
		expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	}
	for (size_t i = 0; i < 5; i++) {
		put(PTE, FRAME | (good[i] << 3) | RWX);
		expect_leaf(walk(EPTP, EMU_ACC_READ, 0), 0xabcdef000ull, true, true);
	}
	put(PDE, 0x7654200000ull | 0x80 | 0x18 | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
}

/* A misconfiguration comes before the permission check: a read-only leaf of type 7, written. */
static void test_misconfig_before_permissions(void **state)
{
	(void)state;
	put(PTE, FRAME | 0x38 | 0x1);
	expect_misconfig(walk(EPTP, EMU_ACC_WRITE, 0));
}

/* A misconfigured PDE above a not-present PTE is met first; a not-present PDE hides a bad PTE. */
static void test_walk_order(void **state)
{
	(void)state;
	put(PTE, 0);
	put(PDE, PT | 0x40 | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	put(PTE, FRAME | 0x38 | 0x2);
	put(PDE, PT);
	expect_violation(walk(EPTP, EMU_ACC_READ, 0), 0x181);
}

/* A table outside RAM reads as all ones (bits 51:40 set). Expect: misconfiguration. */
static void test_table_outside_ram(void **state)
{
	(void)state;
	put(PML4E, 0xff00000000ull | RWX);
	expect_misconfig(walk(EPTP, EMU_ACC_READ, 0));
	expect_misconfig(walk(0xff00000000ull | 0x1e, EMU_ACC_READ, 0));
}

/* EPTP bit 6, a read. Expect: A (bit 8) in all four entries, no D (bit 9). */
static void test_accessed(void **state)
{
	struct outcome o;

	(void)state;
	o = walk(EPTP_AD, EMU_ACC_READ, 0);
	expect_leaf(o, 0xabcdef000ull, true, true);
	assert_false(o.dirty);
	assert_int_equal(get(PML4E), PDPT | 0x100 | RWX);
	assert_int_equal(get(PDPTE), PD | 0x100 | RWX);
	assert_int_equal(get(PDE), PT | 0x100 | RWX);
	assert_int_equal(get(PTE), FRAME | 0x100 | WB_LEAF | RWX);
}

/* EPTP bit 6, a write. Expect: A everywhere and D on the PTE only. */
static void test_dirty(void **state)
{
	struct outcome o;

	(void)state;
	o = walk(EPTP_AD, EMU_ACC_WRITE, 0);
	expect_leaf(o, 0xabcdef000ull, true, true);
	assert_true(o.dirty);
	assert_int_equal(get(PDE), PT | 0x100 | RWX);
	assert_int_equal(get(PTE), FRAME | 0x300 | WB_LEAF | RWX);
}

/* EPTP bit 6, a write to a 2 MiB page. Expect: D on the PDE that maps it. */
static void test_dirty_2m(void **state)
{
	(void)state;
	put(PDE, 0x7654200000ull | 0x80 | WB_LEAF | RWX);
	expect_leaf(walk(EPTP_AD, EMU_ACC_WRITE, 0), 0x7654201000ull, true, true);
	assert_int_equal(get(PDE), 0x7654200000ull | 0x380 | WB_LEAF | RWX);
	assert_int_equal(get(PDPTE), PD | 0x100 | RWX);
}

/* Without EPTP bit 6, or without SET_AD: no flag changes; without bit 6 every page counts as dirty. */
static void test_no_ad(void **state)
{
	struct outcome o;

	(void)state;
	o = walk(EPTP, EMU_ACC_WRITE, 0);
	assert_true(o.dirty);
	o = walk_caps(&caps, EPTP_AD, GPA, EMU_ACC_WRITE, 0);
	expect_leaf(o, 0xabcdef000ull, true, true);
	assert_false(o.dirty);
	assert_int_equal(get(PML4E), PDPT | RWX);
	assert_int_equal(get(PTE), FRAME | WB_LEAF | RWX);
}

/* A walk that ends in a violation sets no flag (the model's choice: flags once the translation stands). */
static void test_no_ad_on_violation(void **state)
{
	(void)state;
	put(PTE, FRAME | WB_LEAF | 0x1);
	expect_violation(walk(EPTP_AD, EMU_ACC_WRITE, 0), 0x18a);
	assert_int_equal(get(PML4E), PDPT | RWX);
}

/* A guest paging-structure read without A/D flags: a read, bit 8 clear. Expect: 0x81 where not present. */
static void test_paging_entry_read(void **state)
{
	(void)state;
	put(PTE, FRAME | WB_LEAF | 0x1);
	expect_leaf(walk(EPTP, EMU_ACC_READ, VMX_EPT_PAGING_ENTRY), 0xabcdef000ull, false, false);
	put(PTE, 0);
	expect_violation(walk(EPTP, EMU_ACC_READ, VMX_EPT_PAGING_ENTRY), 0x81);
}

/*
 * With A/D flags it is a write, whether the guest reads the entry or sets
 * its own A/D bits in it: read-only page. Expect: violation with bits 0
 * and 1 both (0x1|0x2|0x8|0x20|0x80).
 */
static void test_paging_entry_as_write(void **state)
{
	(void)state;
	put(PTE, FRAME | WB_LEAF | 0x5);
	expect_violation(walk(EPTP_AD, EMU_ACC_READ, VMX_EPT_PAGING_ENTRY), 0xab);
	expect_violation(walk(EPTP_AD, EMU_ACC_WRITE, VMX_EPT_PAGING_ENTRY), 0xab);
}

/* With A/D flags, a guest paging-structure read sets D on the leaf (§29.3.5). */
static void test_paging_entry_dirty(void **state)
{
	(void)state;
	expect_leaf(walk(EPTP_AD, EMU_ACC_READ, VMX_EPT_PAGING_ENTRY), 0xabcdef000ull, true, true);
	assert_int_equal(get(PTE), FRAME | 0x300 | WB_LEAF | RWX);
}

/* No guest linear address (PDPTE loads): bits 7 and 8 clear. Expect: 0x1. */
static void test_no_linear(void **state)
{
	(void)state;
	put(PTE, 0);
	expect_violation(walk(EPTP, EMU_ACC_READ, VMX_EPT_PAGING_ENTRY | VMX_EPT_NO_LINEAR), 0x1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_4k_page),
		T(test_2m_page),
		T(test_1g_page),
		T(test_large_pages_unsupported),
		T(test_not_present_leaf),
		T(test_not_present_pml4e),
		T(test_write_read_only),
		T(test_fetch_not_executable),
		T(test_permissions_and),
		T(test_execute_only),
		T(test_execute_only_unsupported),
		T(test_write_without_read),
		T(test_pml4e_reserved),
		T(test_reserved_bits),
		T(test_beyond_maxphyaddr),
		T(test_ignored_bits),
		T(test_leaf_memory_type),
		T(test_misconfig_before_permissions),
		T(test_walk_order),
		T(test_table_outside_ram),
		T(test_accessed),
		T(test_dirty),
		T(test_dirty_2m),
		T(test_no_ad),
		T(test_no_ad_on_violation),
		T(test_paging_entry_read),
		T(test_paging_entry_as_write),
		T(test_paging_entry_dirty),
		T(test_no_linear),
	};

	return cmocka_run_group_tests(tests, machine_up, machine_down);
}
