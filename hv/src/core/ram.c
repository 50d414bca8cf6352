/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM (see hv/ram.h): the slots of memory a VM owns.
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/ram.h"

#define PAGE_SIZE 4096ull
/* The guest builder's identity map ends here (hv/guest.h). */
#define SLOT0_LIMIT (4ull << 30)

int hv_ram_alloc(struct hv_ram *ram, uint64_t size)
{
	uint64_t pages = size / PAGE_SIZE, base;

	hv_memset(ram, 0, sizeof(*ram));
	if (size == 0 || (size & (PAGE_SIZE - 1)) || pages > 0xffffffffull)
		return HV_EINVAL;
	base = arch_pages_alloc((uint32_t)pages);
	if (base == 0 || base > SLOT0_LIMIT || size > SLOT0_LIMIT - base)
		return HV_ENOMEM;
	ram->slots[0].base = base;
	ram->slots[0].size = size;
	ram->nr_slots = 1;
	return HV_OK;
}

static bool overlaps(const struct hv_ram_slot *s, uint64_t base, uint64_t size)
{
	return base < s->base + s->size && s->base < base + size;
}

int hv_ram_add(struct hv_ram *ram, uint64_t base, uint64_t size)
{
	if (ram->nr_slots == 0 || ram->nr_slots >= HV_RAM_MAX_SLOTS || size == 0 ||
	    ((base | size) & (PAGE_SIZE - 1)) || base + size < base)
		return HV_EINVAL;
	for (uint32_t i = 0; i < ram->nr_slots; i++)
		if (overlaps(&ram->slots[i], base, size))
			return HV_EINVAL;
	ram->slots[ram->nr_slots].base = base;
	ram->slots[ram->nr_slots].size = size;
	ram->nr_slots++;
	return HV_OK;
}

uint64_t hv_ram_take(struct hv_ram *ram, uint32_t npages)
{
	uint64_t len = (uint64_t)npages * PAGE_SIZE, pa;

	if (ram->nr_slots == 0 || npages == 0 || len > ram->slots[0].size - ram->taken)
		return 0;
	pa = ram->slots[0].base + ram->taken;
	ram->taken += len;
	hv_memset(arch_phys_to_virt(pa), 0, len);
	return pa;
}

bool hv_ram_contains(const struct hv_ram *ram, uint64_t gpa, uint64_t len)
{
	for (uint32_t i = 0; i < ram->nr_slots; i++) {
		const struct hv_ram_slot *s = &ram->slots[i];

		if (gpa >= s->base && len <= s->size && gpa - s->base <= s->size - len)
			return true;
	}
	return false;
}

uint64_t hv_ram_size(const struct hv_ram *ram)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < ram->nr_slots; i++)
		total += ram->slots[i].size;
	return total;
}
