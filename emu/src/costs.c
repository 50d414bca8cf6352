/* SPDX-License-Identifier: MIT */
/*
 * The cycle cost table (docs/cycle-costs.md). Every retired guest
 * instruction advances its processor's clock by the cost of its mnemonic
 * (1 unless listed); world switches and seam operations have their own
 * entries. A text file of "name cost" lines overrides any entry.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <capstone/capstone.h>

#include "emu_internal.h"

struct emu_costs {
	uint16_t insn[X86_INS_ENDING];
	uint32_t world[EMU_COST_WORLD_COUNT];
};

static const char *const world_names[EMU_COST_WORLD_COUNT] = {
	[EMU_COST_VMRUN] = "vmrun",
	[EMU_COST_VMEXIT] = "vmexit",
	[EMU_COST_VMLOAD] = "vmload",
	[EMU_COST_VMSAVE] = "vmsave",
	[EMU_COST_EVENT_DELIVERY] = "event-delivery",
	[EMU_COST_HOST_OP] = "host-op",
};

/*
 * Defaults: round figures of the order of recent AMD cores' latencies, so
 * that relative timing in scenarios looks like hardware. They are a model,
 * not a measurement; docs/cycle-costs.md lists them.
 */
static const struct {
	unsigned id;
	uint16_t cost;
} insn_defaults[] = {
	{ X86_INS_MUL, 3 },    { X86_INS_IMUL, 3 },  { X86_INS_DIV, 20 },
	{ X86_INS_IDIV, 20 },  { X86_INS_CPUID, 100 }, { X86_INS_RDTSC, 25 },
	{ X86_INS_RDTSCP, 30 }, { X86_INS_RDMSR, 100 }, { X86_INS_WRMSR, 100 },
	{ X86_INS_IN, 200 },   { X86_INS_OUT, 200 }, { X86_INS_INSB, 200 },
	{ X86_INS_INSW, 200 }, { X86_INS_INSD, 200 }, { X86_INS_OUTSB, 200 },
	{ X86_INS_OUTSW, 200 }, { X86_INS_OUTSD, 200 }, { X86_INS_IRET, 40 },
	{ X86_INS_IRETD, 40 }, { X86_INS_IRETQ, 40 }, { X86_INS_INVLPG, 50 },
	{ X86_INS_PAUSE, 10 }, { X86_INS_LGDT, 20 }, { X86_INS_LIDT, 20 },
	{ X86_INS_INT, 40 },   { X86_INS_INT3, 40 }, { X86_INS_SYSCALL, 30 },
	{ X86_INS_SYSRET, 30 },
};

static const uint32_t world_defaults[EMU_COST_WORLD_COUNT] = {
	[EMU_COST_VMRUN] = 1000,
	[EMU_COST_VMEXIT] = 800,
	[EMU_COST_VMLOAD] = 100,
	[EMU_COST_VMSAVE] = 100,
	[EMU_COST_EVENT_DELIVERY] = 60,
	[EMU_COST_HOST_OP] = 50,
};

struct emu_costs *emu_costs_new(void)
{
	struct emu_costs *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	for (unsigned i = 0; i < X86_INS_ENDING; i++)
		c->insn[i] = 1;
	for (size_t i = 0; i < sizeof(insn_defaults) / sizeof(insn_defaults[0]); i++)
		c->insn[insn_defaults[i].id] = insn_defaults[i].cost;
	memcpy(c->world, world_defaults, sizeof(c->world));
	return c;
}

void emu_costs_free(struct emu_costs *c)
{
	free(c);
}

uint32_t emu_costs_insn(const struct emu_costs *c, unsigned id)
{
	return id < X86_INS_ENDING ? c->insn[id] : 1;
}

uint32_t emu_costs_world(const struct emu_costs *c, enum emu_world_cost w)
{
	return c->world[w];
}

/*
 * Every step a guest takes must advance its clock, or a guest loop would
 * never reach the cycle limit: an instruction that retires costs its own
 * entry, and one that does not ends in an event delivery or a #VMEXIT, whose
 * cost stands for it. Those entries cost at least 1; the host-side ones
 * (vmrun, vmload, vmsave, host-op) may be 0.
 */
static bool must_advance(int w)
{
	return w == EMU_COST_VMEXIT || w == EMU_COST_EVENT_DELIVERY;
}

/* Find a name among the world entries, then among Capstone's mnemonics. */
static int set_entry(struct emu_costs *c, csh cs, const char *name, uint32_t cost)
{
	for (int w = 0; w < EMU_COST_WORLD_COUNT; w++) {
		if (strcmp(name, world_names[w]) == 0) {
			if (cost == 0 && must_advance(w))
				return -3;
			c->world[w] = cost;
			return 0;
		}
	}
	if (cost > UINT16_MAX)
		return -2;
	for (unsigned id = 1; id < X86_INS_ENDING; id++) {
		const char *n = cs_insn_name(cs, id);

		if (n && strcmp(n, name) == 0) {
			if (cost == 0)
				return -3;
			c->insn[id] = (uint16_t)cost;
			return 0;
		}
	}
	return -1;
}

int emu_costs_parse(struct emu_costs *c, const char *text, char *err, size_t errlen)
{
	csh cs;
	int line = 0, rc = 0;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
		snprintf(err, errlen, "cannot open the disassembler");
		return -1;
	}
	while (*text && rc == 0) {
		char buf[256], name[64];
		const char *eol = strchr(text, '\n');
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		char *p, *end;
		unsigned long v;

		line++;
		if (len >= sizeof(buf)) {
			snprintf(err, errlen, "line %d: too long", line);
			rc = -1;
			break;
		}
		memcpy(buf, text, len);
		buf[len] = '\0';
		text += len + (eol ? 1 : 0);
		if ((p = strchr(buf, '#')))
			*p = '\0';
		p = buf;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		size_t n = strcspn(p, " \t");
		if (n >= sizeof(name)) {
			snprintf(err, errlen, "line %d: name too long", line);
			rc = -1;
			break;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		errno = 0;
		v = strtoul(p, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (p == end || *end || errno || v > UINT32_MAX || strchr(p, '-')) {
			snprintf(err, errlen, "line %d: expected \"name cost\" with a cost of 0..%u",
				 line, UINT32_MAX);
			rc = -1;
			break;
		}
		switch (set_entry(c, cs, name, (uint32_t)v)) {
		case 0:
			break;
		case -2:
			snprintf(err, errlen, "line %d: instruction cost %lu is above %u", line, v,
				 UINT16_MAX);
			rc = -1;
			break;
		case -3:
			snprintf(err, errlen, "line %d: \"%s\" cannot cost 0: a guest looping on it "
				 "would stop the clock", line, name);
			rc = -1;
			break;
		default:
			snprintf(err, errlen, "line %d: unknown instruction or world switch \"%s\"",
				 line, name);
			rc = -1;
		}
	}
	cs_close(&cs);
	return rc;
}

/* The most a cost file may hold: a table of every mnemonic fits many times. */
#define COSTS_FILE_MAX (1 << 20)

int emu_costs_load(struct emu_costs *c, const char *path, char *err, size_t errlen)
{
	/* Non-blocking, so that opening a FIFO does not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	struct stat st;
	char *text;
	size_t size, got = 0;
	int rc;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* Only a regular file has a size to read up to: a device such as
	 * /dev/zero or a FIFO could be read forever. */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_size > COSTS_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than 1 MiB", path);
		close(fd);
		return -1;
	}
	size = (size_t)st.st_size;
	text = malloc(size + 1);
	while (text && got < size) {
		ssize_t n = read(fd, text + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!text || got != size) {
		snprintf(err, errlen, "%s: read error", path);
		free(text);
		return -1;
	}
	text[size] = '\0';
	if (memchr(text, '\0', size)) {
		snprintf(err, errlen, "%s: not a text file", path);
		free(text);
		return -1;
	}
	rc = emu_costs_parse(c, text, err, errlen);
	free(text);
	return rc;
}

/*
 * The table as text emu_costs_parse reads back onto the built-in table: the
 * world switches, and every instruction whose cost or built-in default is
 * not 1. Traces carry it (docs/traces.md), so a replay runs on the same
 * clock.
 */
size_t emu_costs_format(const struct emu_costs *c, char *buf, size_t size)
{
	struct emu_costs *def = emu_costs_new();
	size_t len = 0;
	csh cs;

#define OUT(...)                                                                     \
	do {                                                                         \
		int k = buf && len < size ? snprintf(buf + len, size - len, __VA_ARGS__) \
					  : snprintf(NULL, 0, __VA_ARGS__);          \
		len += k > 0 ? (size_t)k : 0;                                        \
	} while (0)
	if (size)
		buf[0] = '\0';
	if (!def)
		return 0;
	if (!c)
		c = def;
	for (int w = 0; w < EMU_COST_WORLD_COUNT; w++)
		OUT("%s %u\n", world_names[w], c->world[w]);
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK) {
		for (unsigned id = 1; id < X86_INS_ENDING; id++) {
			const char *n = cs_insn_name(cs, id);

			if (n && (c->insn[id] != 1 || def->insn[id] != 1))
				OUT("%s %u\n", n, c->insn[id]);
		}
		cs_close(&cs);
	}
#undef OUT
	emu_costs_free(def);
	return len;
}
