/* SPDX-License-Identifier: MIT */
/*
 * Instruction decoding for the model: Capstone gives lengths, mnemonics (for
 * the cost table) and memory operands; the model classifies by opcode the
 * instructions it must see before they execute ("trap sites": everything an
 * SVM intercept can name, plus what Unicorn would get wrong on its own, such
 * as STGI, which it runs as a no-op, and RDTSC, whose value comes from the
 * model clock).
 */
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "emu_internal.h"
#include "x86/cpu.h"

struct emu_decoder {
	csh fast;   /* no detail: lengths and ids for block analysis */
	csh full;   /* with detail: operands of single instructions */
	cs_mode mode;
};

static struct emu_decoder *dec(struct emu_cpu *cpu)
{
	return (struct emu_decoder *)cpu->cs_handle;
}

int emu_decode_init(struct emu_cpu *cpu)
{
	struct emu_decoder *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->fast) != CS_ERR_OK) {
		free(d);
		return -1;
	}
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->full) != CS_ERR_OK) {
		cs_close(&d->fast);
		free(d);
		return -1;
	}
	cs_option(d->full, CS_OPT_DETAIL, CS_OPT_ON);
	d->mode = CS_MODE_64;
	cpu->cs_handle = d;
	cpu->decoded = calloc(EMU_DECODE_CACHE, sizeof(struct emu_decoded));
	return cpu->decoded ? 0 : -1;
}

void emu_decode_fini(struct emu_cpu *cpu)
{
	struct emu_decoder *d = dec(cpu);

	if (!d)
		return;
	cs_close(&d->fast);
	cs_close(&d->full);
	free(d);
	free(cpu->decoded);
	cpu->decoded = NULL;
	cpu->cs_handle = NULL;
}

static cs_mode cs_mode_of(int mode)
{
	return mode == 64 ? CS_MODE_64 : mode == 32 ? CS_MODE_32 : CS_MODE_16;
}

/*
 * Decoder mode for the code segment now loaded. Segment attributes are only
 * reachable through the state blob, so the mode is recomputed only when CS
 * or CR0 changed since it was last known (emu_cpustate_load() sets it).
 */
static void sync_mode(struct emu_cpu *cpu)
{
	struct emu_decoder *d = dec(cpu);
	uint64_t cr0 = emu_reg_get(cpu, UC_X86_REG_CR0);
	uint16_t cs = (uint16_t)emu_reg_get(cpu, UC_X86_REG_CS);

	if (!cpu->mode || cs != cpu->mode_cs || cr0 != cpu->mode_cr0) {
		struct emu_regs r;

		/* Inside a run, a blob saved by an earlier hook is out of date. */
		cpu->ctx_fresh = false;
		emu_cpustate_store(cpu, &r);
		emu_cpustate_note_mode(cpu, &r);
	}
	if (cs_mode_of(cpu->mode) != d->mode) {
		d->mode = cs_mode_of(cpu->mode);
		cs_option(d->fast, CS_OPT_MODE, d->mode);
		cs_option(d->full, CS_OPT_MODE, d->mode);
	}
}

uint64_t emu_linear(struct emu_cpu *cpu, uint64_t rip)
{
	sync_mode(cpu);
	return cpu->mode == 64 ? rip : (cpu->cs_base + rip) & 0xffffffffull;
}

int emu_decode_mode(struct emu_cpu *cpu)
{
	sync_mode(cpu);
	return cpu->mode;
}

uint64_t emu_rip_of(struct emu_cpu *cpu, uint64_t la)
{
	sync_mode(cpu);
	return cpu->mode == 64 ? la : (la - cpu->cs_base) & 0xffffffffull;
}

static bool is_prefix(uint8_t b, bool mode64)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		return true;
	default:
		return mode64 && b >= 0x40 && b <= 0x4f;
	}
}

/* Classify by opcode; fills the operand fields the model needs. */
/*
 * APM vol. 3 §1.2.5: LOCK is allowed only on these, and only with a memory
 * destination; anywhere else it raises #UD. (AMD's LOCK MOV CR0 for CR8,
 * CPUID Fn8000_0001 ECX[4], is not offered by the model.)
 */
static bool lockable(const uint8_t *p, size_t len)
{
	uint8_t op, reg;

	if (len < 2)
		return false;
	if (p[0] == 0x0f) {
		if (len < 3 || (p[2] >> 6) == 3)
			return false;
		reg = (p[2] >> 3) & 7;
		switch (p[1]) {
		case 0xab: case 0xb3: case 0xbb:          /* BTS, BTR, BTC */
		case 0xb0: case 0xb1:                     /* CMPXCHG */
		case 0xc0: case 0xc1:                     /* XADD */
			return true;
		case 0xba:                                /* BTS, BTR, BTC imm8 */
			return reg >= 5;
		case 0xc7:                                /* CMPXCHG8B/16B */
			return reg == 1;
		default:
			return false;
		}
	}
	op = p[0];
	if ((p[1] >> 6) == 3)
		return false;
	reg = (p[1] >> 3) & 7;
	switch (op) {
	case 0x00: case 0x01: case 0x08: case 0x09: case 0x10: case 0x11:  /* ADD OR ADC */
	case 0x18: case 0x19: case 0x20: case 0x21: case 0x28: case 0x29:  /* SBB AND SUB */
	case 0x30: case 0x31: case 0x86: case 0x87:                        /* XOR XCHG */
		return true;
	case 0x80: case 0x81: case 0x83:                                    /* group 1 but CMP */
		return reg != 7;
	case 0xf6: case 0xf7:                                               /* NOT, NEG */
		return reg == 2 || reg == 3;
	case 0xfe: case 0xff:                                               /* INC, DEC */
		return reg <= 1;
	default:
		return false;
	}
}

static enum emu_trap_class classify(const uint8_t *p, size_t len, int mode, struct emu_insn *in)
{
	bool mode64 = mode == 64;
	size_t i = 0;
	bool opsize = false, adsize = false, lock = false;
	uint8_t rex = 0;

	in->prefix_rep = 0;
	while (i < len && is_prefix(p[i], mode64)) {
		if (p[i] == 0xf0)
			lock = true;
		if (p[i] == 0x66)
			opsize = true;
		else if (p[i] == 0x67)
			adsize = true;
		else if (p[i] == 0xf3)
			in->prefix_rep = 1;
		if (mode64 && p[i] >= 0x40 && p[i] <= 0x4f)
			rex = p[i];
		else
			rex = 0; /* REX counts only right before the opcode */
		i++;
	}
	if (i >= len)
		return lock ? EMU_TRAP_LOCK_UD : EMU_TRAP_NONE;
	if (lock && !lockable(p + i, len - i))
		return EMU_TRAP_LOCK_UD;
	uint8_t op = p[i];
	bool has2 = i + 1 < len, has3 = i + 2 < len;
	uint8_t op2 = has2 ? p[i + 1] : 0, modrm = has3 ? p[i + 2] : 0;

	/* Default sizes follow the code segment; 66h/67h select the other one. */
	in->addr_size = mode64 ? (adsize ? 4 : 8) : ((mode == 32) != adsize ? 4 : 2);
	bool op16 = mode == 16 ? !opsize : opsize;
	switch (op) {
	case 0xcd:
		in->intn = op2;
		/* fall through */
	case 0xcc:
	case 0xf1:
		in->soft_op = op;
		return has2 || op != 0xcd ? EMU_TRAP_INTN : EMU_TRAP_NONE;
	case 0xce:
		/* INTO does not exist in 64-bit mode (#UD from the engine). */
		in->soft_op = op;
		return mode64 ? EMU_TRAP_NONE : EMU_TRAP_INTN;
	case 0xf4:
		return EMU_TRAP_HLT;
	case 0xcf:
		return EMU_TRAP_IRET;
	case 0xfb:
		return EMU_TRAP_STI;
	case 0x9d:
		return EMU_TRAP_POPF;
	case 0x90:
		return in->prefix_rep ? EMU_TRAP_PAUSE : EMU_TRAP_NONE;
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:
	case 0xec: case 0xed: case 0xee: case 0xef:
	case 0x6c: case 0x6d: case 0x6e: case 0x6f:
		in->io_in = (op == 0xe4 || op == 0xe5 || op == 0xec || op == 0xed || op == 0x6c ||
			     op == 0x6d);
		in->io_string = op >= 0x6c && op <= 0x6f;
		in->port_dx = !(op >= 0xe4 && op <= 0xe7);
		in->port = (!in->port_dx && has2) ? op2 : 0;
		in->io_size = (op & 1) ? (op16 ? 2 : 4) : 1;
		return EMU_TRAP_IO;
	case 0x0f:
		if (!has2)
			return EMU_TRAP_NONE;
		switch (op2) {
		case 0xa2:
			return EMU_TRAP_CPUID;
		case 0x32:
			return EMU_TRAP_RDMSR;
		case 0x30:
			return EMU_TRAP_WRMSR;
		case 0x31:
			return EMU_TRAP_RDTSC;
		case 0x20: case 0x22: case 0x21: case 0x23:
			if (!has3)
				return EMU_TRAP_NONE;
			in->cr_write = (op2 == 0x22 || op2 == 0x23);
			in->gpr = (modrm & 7) | ((rex & 1) ? 8 : 0);
			if (op2 == 0x20 || op2 == 0x22) {
				in->cr = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
				return EMU_TRAP_MOV_CR;
			}
			in->dr = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
			return EMU_TRAP_MOV_DR;
		case 0x06:
			return EMU_TRAP_CLTS;
		case 0x01:
			if (!has3)
				return EMU_TRAP_NONE;
			if (modrm == 0xdc)
				return EMU_TRAP_STGI;
			if (modrm == 0xf9)
				return EMU_TRAP_RDTSCP;
			if ((modrm >> 6) != 3 && ((modrm >> 3) & 7) == 7)
				return EMU_TRAP_INVLPG;
			/* 0F 01 /4 SMSW and /6 LMSW, register or memory operand. */
			if (((modrm >> 3) & 7) == 4)
				return EMU_TRAP_SMSW;
			if (((modrm >> 3) & 7) == 6) {
				in->gpr = (modrm >> 6) == 3 ? (modrm & 7) | ((rex & 1) ? 8 : 0) : -1;
				return EMU_TRAP_LMSW;
			}
			return EMU_TRAP_NONE;
		default:
			return EMU_TRAP_NONE;
		}
	default:
		return EMU_TRAP_NONE;
	}
}

/* Code bytes as the model sees them: an instruction may end on a page
 * that is not mapped, so read what is there (no side effects). */
static int read_code(struct emu_cpu *cpu, uint64_t la, uint8_t *buf, size_t want, size_t *got)
{
	*got = emu_lin_peek(cpu, la, buf, want);
	return *got ? 0 : -1;
}

/*
 * A trapped instruction is usually the same one again (a guest loop around
 * VMMCALL or CPUID): reuse its decoding while the linear address still
 * leads to the same system-physical bytes.
 */
static struct emu_decoded *decoded_slot(struct emu_cpu *cpu, uint64_t la)
{
	return &cpu->decoded[(la ^ (la >> 6)) & (EMU_DECODE_CACHE - 1)];
}

static bool code_spa(struct emu_cpu *cpu, uint64_t la, uint64_t *spa)
{
	struct emu_xlate x;

	if (emu_xlate(cpu, la, EMU_ACC_READ, EMU_XL_PEEK, &x) != 0)
		return false;
	*spa = x.spa;
	return true;
}

static bool decoded_hit(struct emu_cpu *cpu, const struct emu_decoded *e, uint64_t la)
{
	const uint8_t *p;
	uint64_t spa;

	if (!e->valid || e->la != la || e->mode != cpu->mode || !code_spa(cpu, la, &spa) ||
	    spa != e->pa)
		return false;
	p = emu_ram_ptr(cpu->m, e->pa, e->insn.len);
	return p && memcmp(p, e->insn.bytes, e->insn.len) == 0;
}

static void decoded_fill(struct emu_cpu *cpu, struct emu_decoded *e, uint64_t la,
			 const struct emu_insn *in)
{
	uint64_t spa;

	e->valid = false;
	/* Only instructions within one page: their bytes sit at one address. */
	if ((la & 4095) + in->len > 4096 || !code_spa(cpu, la, &spa))
		return;
	e->la = la;
	e->pa = spa;
	e->mode = cpu->mode;
	e->insn = *in;
	e->valid = true;
}

/*
 * Does the instruction read descriptors or the TSS as a supervisor whatever
 * the CPL (SDM vol. 3 §4.6.1, implicit supervisor-mode accesses)? Segment
 * loads, far transfers and IRET read the GDT/LDT (and set descriptors'
 * accessed bits); LAR, LSL, VERR and VERW read them; I/O instructions read
 * the TSS's I/O permission bitmap.
 */
bool emu_insn_implicit_supervisor(struct emu_cpu *cpu, uint64_t la)
{
	struct emu_decoder *d = dec(cpu);
	uint8_t buf[16];
	size_t got;
	cs_insn *insn;
	bool yes = false;

	sync_mode(cpu);
	got = emu_lin_peek(cpu, la, buf, sizeof(buf));
	if (!got || cs_disasm(d->full, buf, got, la, 1, &insn) != 1)
		return false;
	switch (insn[0].id) {
	case X86_INS_MOV:
	case X86_INS_POP: {
		const cs_x86 *x = &insn[0].detail->x86;

		if (x->op_count >= 1 && x->operands[0].type == X86_OP_REG) {
			x86_reg r = x->operands[0].reg;

			yes = r == X86_REG_DS || r == X86_REG_ES || r == X86_REG_SS ||
			      r == X86_REG_FS || r == X86_REG_GS;
		}
		break;
	}
	case X86_INS_LDS: case X86_INS_LES: case X86_INS_LFS: case X86_INS_LGS: case X86_INS_LSS:
	case X86_INS_LJMP: case X86_INS_LCALL: case X86_INS_RETF: case X86_INS_RETFQ:
	case X86_INS_IRET: case X86_INS_IRETD: case X86_INS_IRETQ:
	case X86_INS_LAR: case X86_INS_LSL: case X86_INS_VERR: case X86_INS_VERW:
	case X86_INS_IN: case X86_INS_OUT:
	case X86_INS_INSB: case X86_INS_INSW: case X86_INS_INSD:
	case X86_INS_OUTSB: case X86_INS_OUTSW: case X86_INS_OUTSD:
	case X86_INS_SYSEXIT: case X86_INS_SYSRET:
		yes = true;
		break;
	default:
		break;
	}
	cs_free(insn, 1);
	return yes;
}

uint64_t emu_first_insn_reaching(struct emu_cpu *cpu, uint64_t la, uint64_t page)
{
	struct emu_decoder *d = dec(cpu);
	uint8_t buf[4096];
	size_t got;
	const uint8_t *code;
	uint64_t addr = la;
	cs_insn *insn;

	sync_mode(cpu);
	if (la >= page || page - la > sizeof(buf))
		return 0;
	got = emu_lin_peek(cpu, la, buf, (size_t)(page - la));
	code = buf;
	insn = cs_malloc(d->fast);
	if (!insn)
		return 0;
	/* Whole instructions up to the page end; the first that is not whole
	 * (or does not decode from what is there) is the one reaching over. */
	while (got && cs_disasm_iter(d->fast, &code, &got, &addr, insn))
		;
	cs_free(insn, 1);
	return addr;
}

/* Capstone 4 marks the destination of ROL, ROR, RCL and RCR as read only;
 * like every shift, they write it back. */
static bool rotate(unsigned id)
{
	return id == X86_INS_ROL || id == X86_INS_ROR || id == X86_INS_RCL || id == X86_INS_RCR;
}

int emu_decode_insn(struct emu_cpu *cpu, uint64_t la, struct emu_insn *out)
{
	struct emu_decoder *d = dec(cpu);
	struct emu_decoded *e = decoded_slot(cpu, la);
	uint8_t buf[16];
	size_t got = 0;
	cs_insn *insn;
	size_t n;

	sync_mode(cpu);
	if (decoded_hit(cpu, e, la)) {
		*out = e->insn;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	out->cr = out->dr = out->gpr = -1;
	out->mem_base = out->mem_index = -1;
	out->addr = la;
	if (read_code(cpu, la, buf, 15, &got) != 0 || got == 0)
		return -1;
	n = cs_disasm(d->full, buf, got, la, 1, &insn);
	if (n != 1) {
		/* Capstone refuses a LOCK the instruction may not take; #UD then. */
		if (classify(buf, got, cpu->mode, out) != EMU_TRAP_LOCK_UD)
			return -1;
		out->trap = EMU_TRAP_LOCK_UD;
		out->len = 1;
		memcpy(out->bytes, buf, 1);
		return 0;
	}
	out->len = (uint8_t)insn[0].size;
	out->id = insn[0].id;
	memcpy(out->bytes, buf, out->len);
	for (uint8_t i = 0; i < insn[0].detail->x86.op_count; i++) {
		const cs_x86_op *op = &insn[0].detail->x86.operands[i];

		if (op->type == X86_OP_MEM) {
			out->mem_count++;
			out->mem_size = op->size;
			out->mem_base = (int)op->mem.base;
			out->mem_index = (int)op->mem.index;
			out->mem_scale = op->mem.scale;
			out->mem_disp = op->mem.disp;
			out->mem_seg = (int)op->mem.segment;
			out->mem_rmw = (op->access & (CS_AC_READ | CS_AC_WRITE)) ==
					       (CS_AC_READ | CS_AC_WRITE) ||
				       (i == 0 && rotate(insn[0].id));
		} else if (op->type == X86_OP_REG &&
			   (op->reg == X86_REG_CS || op->reg == X86_REG_DS || op->reg == X86_REG_ES ||
			    op->reg == X86_REG_FS || op->reg == X86_REG_GS || op->reg == X86_REG_SS)) {
			out->sreg_operand = true;
		}
	}
	cs_free(insn, n);
	out->trap = classify(out->bytes, out->len, cpu->mode, out);
	decoded_fill(cpu, e, la, out);
	return 0;
}

int emu_block_analyse(struct emu_cpu *cpu, uint64_t la, uint32_t size,
		      struct emu_block_hot *hot, struct emu_block *b, bool *hooks_added)
{
	struct emu_decoder *d = dec(cpu);
	uint8_t buf[4096 + 16];
	size_t got = 0, done = 0;
	cs_insn *insn;
	size_t n;

	*hooks_added = false;
	if (size > 4096)
		size = 4096;
	sync_mode(cpu);
	if (read_code(cpu, la, buf, size, &got) != 0 || got == 0)
		return -1;
	n = cs_disasm(d->fast, buf, got, la, 0, &insn);
	memset(hot, 0, sizeof(*hot));
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < n; i++) {
		uint32_t c = emu_costs_insn(cpu->m->costs, insn[i].id);
		struct emu_insn tmp;

		done = (size_t)(insn[i].address - la) + insn[i].size;
		hot->cost += c;
		if (hot->ninsn < EMU_BLOCK_MAX_INSNS) {
			b->off[hot->ninsn] = (uint16_t)(insn[i].address - la);
			b->icost[hot->ninsn] = (uint16_t)c;
		}
		hot->ninsn++;
		memset(&tmp, 0, sizeof(tmp));
		if (classify(insn[i].bytes, insn[i].size, cpu->mode, &tmp) !=
		    EMU_TRAP_NONE) {
			int r = emu_engine_add_trap_site(cpu, insn[i].address);

			if (r < 0) {
				cs_free(insn, n);
				return -1;
			}
			if (r > 0)
				*hooks_added = true;
		}
	}
	if (n)
		cs_free(insn, n);
	/*
	 * Capstone stopped before the block's end: it refuses an instruction
	 * Unicorn translated, which a LOCK prefix the instruction may not take
	 * makes (APM vol. 3 §1.2.5). The model raises #UD for it there.
	 */
	{
		struct emu_insn tmp;

		memset(&tmp, 0, sizeof(tmp));
		if (done < got && classify(buf + done, got - done, cpu->mode, &tmp) ==
					  EMU_TRAP_LOCK_UD) {
			int r = emu_engine_add_trap_site(cpu, la + done);

			if (r < 0)
				return -1;
			if (r > 0)
				*hooks_added = true;
		}
	}
	hot->addr = la;
	hot->size = size;
	return 0;
}

void emu_block_cache_flush(struct emu_cpu *cpu)
{
	memset(cpu->bhot, 0, sizeof(struct emu_block_hot) * EMU_BLOCK_CACHE);
	memset(cpu->decoded, 0, sizeof(struct emu_decoded) * EMU_DECODE_CACHE);
}
