/* SPDX-License-Identifier: MIT */
/*
 * Internals of the model platform shared by emu/src, svm-model/ and
 * apic-model/. Not a public header: users see emu/include/emu/emu.h.
 */
#ifndef EMU_INTERNAL_H
#define EMU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "emu/device.h"
#include "emu/emu.h"
#include "emu/pins.h"
#include "emu/vext.h"
#include "vx/arch.h"
#include "vx/event.h"
#include "x86/cpu.h"

struct emu_coro;
struct emu_cpu;

/* --- coroutines (coro.c) -------------------------------------------------- */
struct emu_coro *emu_coro_new(void (*entry)(void *), void *arg, size_t stack_size);
void emu_coro_free(struct emu_coro *c);
/* Switch from the scheduler into c; returns when c yields or finishes. */
void emu_coro_enter(struct emu_coro *c);
/* From inside the running coroutine: give control back to the scheduler. */
void emu_coro_yield(void);
bool emu_coro_finished(const struct emu_coro *c);

/* --- cycle costs (costs.c) ------------------------------------------------ */
enum emu_world_cost {
	EMU_COST_VMRUN,
	EMU_COST_VMEXIT,
	EMU_COST_VMLOAD,
	EMU_COST_VMSAVE,
	EMU_COST_EVENT_DELIVERY,
	EMU_COST_HOST_OP,  /* a seam call other than the above (RDMSR, CPUID, ...) */
	EMU_COST_WORLD_COUNT,
};
uint32_t emu_costs_insn(const struct emu_costs *c, unsigned capstone_id);
uint32_t emu_costs_world(const struct emu_costs *c, enum emu_world_cost w);

/* --- block analysis (decode.c) -------------------------------------------- */
#define EMU_BLOCK_MAX_INSNS 64

/* Instructions the model must see before they execute. */
enum emu_trap_class {
	EMU_TRAP_NONE = 0,
	EMU_TRAP_CPUID,
	EMU_TRAP_HLT,
	EMU_TRAP_IO,
	EMU_TRAP_RDMSR,
	EMU_TRAP_WRMSR,
	EMU_TRAP_MOV_CR,
	EMU_TRAP_MOV_DR,
	EMU_TRAP_INVLPG,
	EMU_TRAP_IRET,
	EMU_TRAP_STGI,
	EMU_TRAP_RDTSC,
	EMU_TRAP_RDTSCP,
	EMU_TRAP_STI,
	EMU_TRAP_POPF,
	EMU_TRAP_PAUSE,
	EMU_TRAP_INTN,
	EMU_TRAP_LMSW,
	EMU_TRAP_CLTS,
	EMU_TRAP_SMSW,
	EMU_TRAP_LOCK_UD,     /* a LOCK prefix the instruction may not take */
	EMU_TRAP_CLASSES,
};

/* What the block hook reads for every block run: kept to half a cache line. */
struct emu_block_hot {
	uint64_t addr;  /* linear address; size 0 marks an empty slot */
	uint32_t size;
	uint32_t ninsn;
	uint64_t cost;
	uint64_t reserved;
};

/* Per-instruction detail, read only when a block stops part-way. */
struct emu_block {
	uint16_t off[EMU_BLOCK_MAX_INSNS];   /* start offset of each instruction */
	uint16_t icost[EMU_BLOCK_MAX_INSNS]; /* cost of each instruction */
};

/* A decoded instruction, for the model's own emulation of trapped ones. */
struct emu_insn {
	uint64_t addr;        /* linear address */
	uint8_t len;
	uint8_t bytes[16];
	unsigned id;          /* capstone instruction id */
	enum emu_trap_class trap;
	uint8_t prefix_rep;   /* 0xF3 present */
	/* operands, decoded where the model needs them */
	int cr, dr;           /* MOV CRn/DRn: n; -1 otherwise */
	bool cr_write;        /* MOV to CRn / DRn */
	int gpr;              /* GPR number 0-15 of a MOV CR/DR, or of a register LMSW */
	uint16_t port;        /* IN/OUT imm8 port, or -1 via DX */
	bool port_dx, io_in, io_string;
	uint8_t io_size;      /* 1, 2, 4 */
	uint8_t addr_size;    /* 2, 4, 8 */
	uint8_t intn;         /* INT n vector */
	uint8_t soft_op;      /* EMU_TRAP_INTN: CDh, CCh, CEh or F1h */
	uint64_t mem_ea;      /* INVLPG effective address (computed by caller) */
	int mem_base, mem_index, mem_scale; int64_t mem_disp; int mem_seg;
	uint8_t mem_count;    /* explicit memory operands */
	uint8_t mem_size;     /* bytes the memory operand covers */
	bool mem_rmw;         /* the memory operand is read and written */
	bool sreg_operand;    /* a segment register is an operand */
};

/* A decoded instruction with what validates it: where its bytes live. */
struct emu_decoded {
	uint64_t la, pa;  /* pa: system-physical */
	int mode;
	bool valid;
	struct emu_insn insn;
};

int emu_decode_init(struct emu_cpu *cpu);
/* Linear address of rip in the code segment now loaded (RIP is CS-relative). */
uint64_t emu_linear(struct emu_cpu *cpu, uint64_t rip);
/* The decoder's mode (16, 32 or 64) for the code segment now loaded. */
int emu_decode_mode(struct emu_cpu *cpu);
/* RIP (CS-relative) of the instruction at linear address la. */
uint64_t emu_rip_of(struct emu_cpu *cpu, uint64_t la);
/* The first instruction from la on that does not end before page (the
 * instruction reaching into it); 0 when none can be told. */
uint64_t emu_first_insn_reaching(struct emu_cpu *cpu, uint64_t la, uint64_t page);
/* Does the instruction at la make implicit supervisor accesses (descriptor
 * tables, the TSS) whatever the CPL? */
bool emu_insn_implicit_supervisor(struct emu_cpu *cpu, uint64_t la);
void emu_decode_fini(struct emu_cpu *cpu);
/* Decode the instruction at linear address la; 0 or -1 when unreadable. */
int emu_decode_insn(struct emu_cpu *cpu, uint64_t la, struct emu_insn *out);
/* Analyse a block; fills b and installs trap hooks on its trap sites. */
int emu_block_analyse(struct emu_cpu *cpu, uint64_t la, uint32_t size,
		      struct emu_block_hot *hot, struct emu_block *b, bool *hooks_added);
void emu_block_cache_flush(struct emu_cpu *cpu);

/* --- encodings Unicorn cannot translate (untranslatable.c) ---------------- */
#define EMU_UD_EXITS_MAX 1024
/* Looks for them on the code page at page_la (its bytes at page); true if
 * new exits were armed. */
bool emu_scan_untranslatable(struct emu_cpu *cpu, uint64_t page_la, const uint8_t *page);
bool emu_ud_exit(const struct emu_cpu *cpu, uint64_t la);
/* Is the instruction at la one of them (in the processor's current mode)? */
bool emu_untranslatable_at(struct emu_cpu *cpu, uint64_t la);

/* --- operand addresses (operand.c) ----------------------------------------- */
/* The linear address of the memory operand of in, decoded at lin; false
 * when an address register is not a general one. */
bool emu_insn_linear(struct emu_cpu *cpu, const struct emu_insn *in, uint64_t lin, uint64_t *la);
/* The linear address and size of the one explicit memory operand of the
 * instruction at lin, when that is its only memory access; false otherwise. */
bool emu_operand_address(struct emu_cpu *cpu, uint64_t lin, uint64_t *la, uint8_t *size);

/* --- guest-physical memory (mem.c) ---------------------------------------- */
/* Bounds-checked pointer to [pa, pa+len) in guest RAM, or NULL. */
void *emu_ram_ptr(struct emu_machine *m, uint64_t pa, uint64_t len);
uint64_t emu_ram_size(const struct emu_machine *m);

/* --- address translation (paging.c) --------------------------------------- */
enum emu_access { EMU_ACC_READ = 0, EMU_ACC_WRITE = 1, EMU_ACC_FETCH = 2 };

/* Who makes an access: the guest's U/S, SMAP and accessed/dirty rules. */
#define EMU_XL_USER     1u /* an access at CPL 3 */
#define EMU_XL_IMPLICIT 2u /* a supervisor access an instruction implies (IDT, GDT, TSS) */
#define EMU_XL_PEEK     4u /* the model only looking: no accessed/dirty bit changes */

enum emu_xfault {
	EMU_XF_NONE,
	EMU_XF_PF,   /* the guest's own translation faults: #PF with pf_error */
	EMU_XF_GP,   /* a non-canonical address in long mode */
	EMU_XF_SLAT, /* the second-level translation (nested paging) faults */
};

/* One linear address through both levels of translation. */
struct emu_xlate {
	uint64_t gpa, spa;         /* guest- and system-physical address of the byte */
	bool writable, executable; /* what a TLB entry for its page may allow now */
	enum emu_xfault fault;
	uint32_t pf_error;         /* EMU_XF_PF */
	bool slat_table;           /* EMU_XF_SLAT on the guest's table walk, not the final GPA */
	uint64_t slat_gpa;         /* EMU_XF_SLAT: the table entry's GPA, or the access's */
	uint64_t slat_info;        /* EMU_XF_SLAT: the processor model's fault information */
	uint64_t la;               /* faults: the linear address that failed */
};

/*
 * The second-level translation of a processor model (nested paging), set
 * while it is in effect; NULL means guest-physical = system-physical.
 */
struct emu_slat_leaf {
	uint64_t spa;              /* the system-physical 4 KiB page */
	bool writable, executable, dirty;
};
/* How an access reaches the second level (emu_slat.walk's flags). */
#define EMU_SLAT_SET_AD 1u /* set accessed (and dirty, for a write) as the walk would */
#define EMU_SLAT_TABLE  2u /* a read of an entry of the guest's own paging structures */
struct emu_slat {
	/* 0 and the leaf of gpa's page, or -1 with the model's fault information. */
	int (*walk)(struct emu_cpu *cpu, uint64_t gpa, enum emu_access acc, unsigned flags,
		    struct emu_slat_leaf *leaf, uint64_t *info);
};

/* Translate la under the processor's current paging mode and second level
 * (APM vol. 2 §5, §15.25); 0, or -1 with the fault in *x. */
int emu_xlate(struct emu_cpu *cpu, uint64_t la, enum emu_access acc, unsigned flags,
	      struct emu_xlate *x);
/* Copy through the guest's translation: 0, or -1 with the fault in *x
 * (x->la the first byte that failed). Memory outside RAM reads as all ones. */
int emu_lin_read(struct emu_cpu *cpu, uint64_t la, void *buf, size_t n, unsigned flags,
		 struct emu_xlate *x);
int emu_lin_write(struct emu_cpu *cpu, uint64_t la, const void *buf, size_t n, unsigned flags,
		  struct emu_xlate *x);
/* As many of the n bytes at la as the model can read without side effects. */
size_t emu_lin_peek(struct emu_cpu *cpu, uint64_t la, void *buf, size_t n);
/* The access flags of the processor's current privilege level. */
unsigned emu_xlate_flags(struct emu_cpu *cpu);

/* --- processor register state (cpustate.c) -------------------------------- */
/* The full register state the model moves between a VMCB and the engine. */
struct emu_regs {
	uint64_t gpr[16];     /* RAX RCX RDX RBX RSP RBP RSI RDI R8..R15 (x86 encoding order) */
	uint64_t rip, rflags;
	struct x86_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint64_t cr0, cr2, cr3, cr4, efer;
	uint64_t dr6, dr7;
	uint8_t cpl;
	bool shadow;          /* interrupt shadow (STI / MOV SS) */
};

enum { X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
       X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15 };

int emu_cpustate_selfcheck(struct emu_cpu *cpu, char *err, size_t errlen);
/* Write the whole state into the engine (exact hidden segment state, CPL, mode). */
void emu_cpustate_load(struct emu_cpu *cpu, const struct emu_regs *r);
/* Record the decoder mode that the state in r implies. */
void emu_cpustate_note_mode(struct emu_cpu *cpu, const struct emu_regs *r);
/* Read the whole state back from the engine. */
void emu_cpustate_store(struct emu_cpu *cpu, struct emu_regs *r);
/* Debug register n (0-7) as the engine holds it, and a write of it that
 * arms nothing in the engine. */
uint64_t emu_cpustate_dr(struct emu_cpu *cpu, int n);
void emu_cpustate_set_dr(struct emu_cpu *cpu, int n, uint64_t v);
/* Fast paths for the registers that change on every round trip. */
/* Unicorn's ids of the general registers in encoding order, RAX (0) to R15 (15). */
extern const int emu_uc_gpr[16];
uint64_t emu_reg_get(struct emu_cpu *cpu, int uc_reg);
/* EFER as the engine holds it (SVME is the processor model's). */
uint64_t emu_cpustate_efer(struct emu_cpu *cpu);
void emu_reg_set(struct emu_cpu *cpu, int uc_reg, uint64_t v);
/* Exception bookkeeping Unicorn leaves behind (error code, nested-fault state). */
uint32_t emu_cpustate_error_code(struct emu_cpu *cpu);
void emu_cpustate_clear_exception(struct emu_cpu *cpu);

/* --- event delivery through the guest IDT (deliver.c) --------------------- */
enum emu_event_kind {
	EMU_EVT_EXCEPTION,
	EMU_EVT_NMI,
	EMU_EVT_INTR,
	EMU_EVT_SOFTINT,
	EMU_EVT_SLAT,        /* only as a fault of delivery: the second level faulted */
};
struct emu_pending_event {
	enum emu_event_kind kind;
	uint8_t vector;
	bool has_error;
	uint32_t error;
	uint64_t next_rip;   /* for software interrupts: return address */
	/* EMU_EVT_SLAT: the model's fault information, the GPA, and whether
	 * the guest's own table walk met it */
	uint64_t slat_info, slat_gpa;
	bool slat_table;
	uint64_t slat_la;    /* EMU_EVT_SLAT: the linear address being accessed */
};

/* Vector an event through the guest IDT/IVT. Returns 0, or
 * -1 with *fault set when delivery itself faulted. */
int emu_deliver(struct emu_cpu *cpu, const struct emu_pending_event *ev,
		struct emu_pending_event *fault);

/* --- the processor -------------------------------------------------------- */
enum emu_cpu_state { EMU_CPU_OFF, EMU_CPU_READY, EMU_CPU_BLOCKED, EMU_CPU_DONE };

/* Why the engine stopped. */
enum emu_stop {
	EMU_STOP_NONE = 0,
	EMU_STOP_RESTART,     /* hooks changed: run again from the same RIP */
	EMU_STOP_QUANTUM,     /* the clock reached the deadline */
	EMU_STOP_TRAP,        /* a trap-class instruction is about to execute */
	EMU_STOP_INVALID,     /* #UD (SVM instructions land here) */
	EMU_STOP_EXCEPTION,   /* any other exception */
	EMU_STOP_EVENT,       /* an event may have become deliverable */
	EMU_STOP_UNMAPPED,    /* access outside every mapping */
	EMU_STOP_SLAT,        /* the second level faulted: slat_info, slat_table, fault_la = GPA */
};

#define EMU_MAX_DEVICES 4

/* What a device's MMIO callback needs: whose bus, which device. */
struct emu_mmio_binding {
	struct emu_cpu *cpu;
	const struct emu_device *dev;
};

#define EMU_BLOCK_CACHE 4096
#define EMU_DECODE_CACHE 64

struct emu_cpu {
	struct emu_machine *m;
	uint32_t index;
	enum emu_cpu_state state;
	struct emu_coro *coro;
	void (*fn)(void *);
	void *fn_arg;

	uc_engine *uc;
	uc_context *ctx;       /* scratch for exact state edits */
	bool ctx_fresh;        /* ctx holds exactly the engine's current state */
	bool in_engine;        /* inside uc_emu_start: hooks run, state moves on */
	/* Decoder mode for the code segment, keyed by what can change it. */
	uint16_t mode_cs;
	uint64_t mode_cr0;
	int mode;              /* 16, 32 or 64; 0 = unknown */
	uint64_t cs_base;      /* CS.base for that mode (0 in 64-bit mode) */
	uc_hook hook_block, hook_invalid, hook_intr, hook_unmapped, hook_tlb, hook_tb_new;
	void *cs_handle;       /* capstone handle (csh stored as pointer-size) */
	uint64_t cs_handle_raw;

	/* Read and written on every block: kept together. */
	uint64_t cycle;        /* this processor's clock */
	uint64_t stop_at;      /* min(deadline, event_at): the block hook's one compare */
	uint64_t deadline;     /* quantum / cycle limit: stop at the first block boundary past it */
	uint64_t insns;        /* retired guest instructions */
	struct emu_block_hot *bhot; /* direct-mapped cache, EMU_BLOCK_CACHE entries */
	bool slow;             /* a stop is pending or a watch is armed */

	/*
	 * A timed event (the APIC timer) falls due at event_at: the engine stops
	 * at exactly the instruction boundary where the clock reaches it, arming
	 * an exit address inside a block when it must, and the processor model
	 * calls on_event there.
	 */
	uint64_t event_at;     /* UINT64_MAX when nothing is scheduled */
	uint64_t exit_armed;   /* linear address armed as a Unicorn exit, 0 if none */
	void (*on_event)(struct emu_cpu *cpu);

	/* Host-mode architectural state (the hypervisor runs natively). */
	bool host_if;          /* RFLAGS.IF (arch_irq_enable/disable) */
	uint32_t host_irqs;    /* maskable interrupts taken in host mode */
	uint32_t host_nmis;    /* NMIs taken in host mode */
	uint64_t efer;
	uint64_t tsc_aux;

	/* Registers that VMRUN leaves alone and VMLOAD/VMSAVE move. */
	struct x86_seg fs, gs, tr, ldtr;
	uint64_t kernel_gs_base, star, lstar, cstar, sfmask;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;

	/* Engine stop bookkeeping. */
	enum emu_stop stop;
	uint64_t stop_rip;       /* RIP (CS-relative) where the engine stopped */
	bool stop_rip_fixup;     /* the engine's RIP is linear: write stop_rip back */
	uint32_t stop_intno;
	uint32_t stop_error;    /* error code of the exception that stopped the engine */
	uint64_t stop_cr2;      /* and its faulting address, for a #PF */
	enum emu_trap_class stop_trap;
	int32_t cur_block;     /* cache slot of the block now running, -1 if none */
	uint64_t fault_la;     /* address of an unmapped access; the GPA for EMU_STOP_SLAT */
	uint64_t slat_info;    /* EMU_STOP_SLAT: the model's fault information */
	bool slat_table;       /* EMU_STOP_SLAT: on the guest's own table walk */
	uint64_t slat_la;      /* EMU_STOP_SLAT: the linear address being accessed */

	/*
	 * The second level of translation in effect (nested paging), and what
	 * the engine's TLB-fill hook records when a translation faults under it
	 * (vtlb.c): the engine then finds the exact address and stops.
	 */
	const struct emu_slat *slat;
	bool vtlb_quiet;         /* fills outside a run: record nothing */
	struct {
		bool valid;
		uint64_t page;
		enum emu_access acc;
		struct emu_xlate x;
	} vtlb_fault;
	struct {
		bool active, found;
		uint64_t page, offset;
		enum emu_access acc;
		uint32_t blocks;
		uc_context *ctx;
	} probe;
	uint64_t xpage_from;     /* a fetch fault already retried from here (engine.c) */
	/* Where an instruction the engine cannot translate could start
	 * (untranslatable.c): armed exits, sorted. */
	uint64_t *ud_exits;
	uint32_t nud_exits;
	/*
	 * Which RAM pages the engine's TLB may hold executable, and which
	 * writable, since its last flush (vtlb.c): tlb_gen counts flushes,
	 * page_x[]/page_w[] hold the count at which each was granted.
	 */
	uint32_t tlb_gen;
	uint32_t *page_x, *page_w;
	/*
	 * One instruction run on its own, with an exit right after it
	 * (engine.c): a CPL-3 instruction's implicit supervisor access granted
	 * on one page (vtlb.c), or an instruction at an address where an
	 * untranslatable one could have started, run past that exit.
	 */
	struct {
		bool active, grant;
		uint64_t exit, grant_page, skip, tried_rip;
	} step;
	uint64_t xpage_exit;     /* exit armed for an exact fetch fault, 0 if none */

	/* Paging state the engine's TLB was filled under. */
	bool tlb_valid;
	uint64_t tlb_cr0, tlb_cr3, tlb_cr4, tlb_efer;
	const struct emu_slat *tlb_slat;
	uint64_t tlb_ncr3;
	uint32_t tlb_asid;

	/* Watches armed by the processor model, checked at block boundaries. */
	uint64_t watch_iret_rip;   /* IRET seen at this rip; 0 = none */
	uint8_t watch_shadow;      /* 2: shadowed insn next; 1: deliver at next block */
	bool shadow_mov_ss;        /* that shadow is MOV SS's (VMX entry), not STI's */
	bool watch_popf;

	struct emu_block *blocks;  /* per-instruction detail for bhot[] */
	struct emu_decoded *decoded; /* decoded trapped instructions, EMU_DECODE_CACHE */
	uint64_t *trap_sites;      /* addresses with a code hook, sorted */
	uint32_t ntrap_sites, cap_trap_sites;

	/*
	 * What INIT and start-up IPIs left (reset.c): the processor
	 * waits for a start-up IPI, or runs the code one started, outside any
	 * host code. Neither keeps a machine's run going.
	 */
	bool wait_for_sipi;
	bool bare;
	bool shutdown;         /* code started by SIPI shut down: until INIT */
	uint8_t sipi_vector;   /* what the last start-up IPI started */
	uint64_t init_cr0;     /* CR0 the last INIT left (CD and NW kept) */

	/* The guest's CR2: the engine writes its own when it raises a #PF,
	 * even one an intercept takes (APM §15.12, SDM §27.1). */
	uint64_t guest_cr2;

	/* Lines from the interrupt controller (emu/pins.h). */
	struct emu_pins pins;
	struct emu_mmio_binding mmio[EMU_MAX_DEVICES];
	/* The virtualization extension's and the interrupt controller's
	 * per-processor state, owned by their models. */
	void *vext_state;
	void *intc_state;
};

struct emu_machine {
	struct emu_config cfg;
	/* The composition (machine.c): the processor's extension, its devices
	 * in the order their events run, and which one is its interrupt
	 * controller. */
	const struct emu_vext *vext;
	const struct emu_device *devices[EMU_MAX_DEVICES];
	uint32_t ndevices;
	const struct emu_intc *intc;
	uint8_t *ram;
	uint64_t ram_size;
	uint64_t next_page;    /* bump allocator for arch_page_alloc */
	struct emu_cpu cpu[EMU_MAX_CPUS];
	struct emu_cpu *current;
	struct emu_costs *owned_costs;
	const struct emu_costs *costs;
	emu_event_fn listener;
	void *listener_user;
	struct emu_stats stats;
	bool failed;
	char error[256];
	uint64_t host_start_ms;  /* when emu_machine_run started (host clock) */
	uint32_t running_fn_depth;
};

/* compose.c: which models make up the machine. */
void emu_compose(struct emu_machine *m);

/* machine.c */
extern struct emu_machine *emu_current_machine;
struct emu_cpu *emu_current_cpu(void);
/* Stop the whole run with an error (a fault in host mode, a model limit). */
_Noreturn void emu_fatal(struct emu_cpu *cpu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An event seen inside the model processor (HV_SRC_MODEL), v0..v3 given. */
void emu_emit(struct emu_cpu *cpu, uint32_t type, uint64_t a, uint64_t b, uint64_t c,
	      uint64_t d, const char *text);
/* Any event, its source and words as given; stamped with cpu's clock. */
void emu_emit_event(struct emu_cpu *cpu, const struct hv_event *ev);
/* Let the scheduler run whichever processor is furthest behind. */
void emu_schedule_point(struct emu_cpu *cpu);
/* Make a processor blocked in HLT runnable again (an event for it arrived),
 * no earlier on the clock than the processor that sent it. */
void emu_cpu_kick(struct emu_cpu *target);
/* Start fn(arg) on a processor that is off or done; -1 if it is busy. */
int emu_cpu_launch(struct emu_cpu *cpu, void (*fn)(void *), void *arg);

/* engine.c */
int emu_engine_init(struct emu_cpu *cpu, char *err, size_t errlen);
void emu_engine_fini(struct emu_cpu *cpu);
/* Run guest code from the current engine state until a stop. */
enum emu_stop emu_engine_run(struct emu_cpu *cpu);
/* Make the engine's TLB agree with the paging state now loaded: flush it
 * when that state, the ASID or the second level differ from what it was
 * filled under, or when force is set. */
void emu_engine_sync_tlb(struct emu_cpu *cpu, const struct emu_regs *r, uint32_t asid,
			 uint64_t slat_root, bool force);
/* Drop every translation the engine's TLB holds (INVLPG, MOV CR3 ...). */
void emu_engine_flush_tlb(struct emu_cpu *cpu);
/* The armed exits changed (untranslatable.c): tell Unicorn. */
void emu_engine_exits_changed(struct emu_cpu *cpu);
/* Put a second level of translation in effect (NULL: none). */
void emu_engine_set_slat(struct emu_cpu *cpu, const struct emu_slat *slat);
/* Set the run's limits: the quantum/cycle-limit deadline and the next timed event. */
static inline void emu_set_deadline(struct emu_cpu *cpu, uint64_t deadline)
{
	cpu->deadline = deadline;
	cpu->stop_at = deadline < cpu->event_at ? deadline : cpu->event_at;
}
/* Run the devices' timed events that are due (in guest and in host mode). */
void emu_timed_events(struct emu_cpu *cpu);
/* Re-read the devices' deadlines after anything that may have moved one. */
void emu_timed_sync(struct emu_cpu *cpu);

/* cpuid.c: what CPUID reports, to host code (guest = false) or a guest. */
void emu_cpuid(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
	       struct arch_cpuid *out);

/* msr.c: the MSR file (devices', the extension's, the processor's own). */
const struct emu_device *emu_msr_device(const struct emu_cpu *cpu, uint32_t msr);
arch_fault_t emu_msr_read(struct emu_cpu *cpu, uint32_t msr, uint64_t *value);
arch_fault_t emu_msr_write(struct emu_cpu *cpu, uint32_t msr, uint64_t value);

/* emulate.c: trap-class instructions in guest mode, and the model's own
 * emulation of those no intercept takes. */
bool emu_trap_wanted(struct emu_cpu *cpu, const struct emu_insn *in);
void emu_raise_simple(struct emu_cpu *cpu, uint8_t vec, bool has_err, uint32_t err);
void emu_advance(struct emu_cpu *cpu, const struct emu_insn *in);
bool emu_emulate_into(struct emu_cpu *cpu, const struct emu_insn *in);
bool emu_lmsw_source(struct emu_cpu *cpu, const struct emu_insn *in, uint16_t *v);
void emu_emulate_cpuid(struct emu_cpu *cpu, const struct emu_insn *in);
void emu_emulate_hlt(struct emu_cpu *cpu, const struct emu_insn *in);
uint16_t emu_io_port(struct emu_cpu *cpu, const struct emu_insn *in);
void emu_emulate_io(struct emu_cpu *cpu, const struct emu_insn *in);
void emu_emulate_msr(struct emu_cpu *cpu, const struct emu_insn *in, uint64_t tsc_offset);
bool emu_mov_dr_faults(struct emu_cpu *cpu, const struct emu_insn *in);
void emu_emulate_mov_dr(struct emu_cpu *cpu, const struct emu_insn *in);
void emu_emulate_invlpg(struct emu_cpu *cpu, const struct emu_insn *in);
void emu_emulate_rdtsc(struct emu_cpu *cpu, const struct emu_insn *in, uint64_t tsc_offset);
void emu_emulate_pause(struct emu_cpu *cpu, const struct emu_insn *in);

/* reset.c: INIT and start-up IPIs (SDM vol. 3 §9.1, §8.4). */
/* The interrupt controller raised INIT or start-up for cpu. */
void emu_signal(struct emu_cpu *cpu);
/* cpu takes the INIT pending in its controller now: resets, waits for a
 * start-up IPI. */
void emu_init(struct emu_cpu *cpu);
/* Code started by a start-up IPI shut down: it stays stopped until INIT. */
_Noreturn void emu_bare_shutdown(struct emu_cpu *cpu);
/* The platform takes back a processor that INIT took from it. */
void emu_reclaim(struct emu_cpu *cpu);

/* guest.c: the guest-mode run loop, and HLT in it; NMIs and interrupts
 * host code takes. */
void emu_guest_run(struct emu_cpu *cpu);
void emu_guest_halt(struct emu_cpu *cpu);
void emu_host_interrupts(struct emu_cpu *cpu);

/* cpustate.c: the general registers a world switch moves through struct
 * arch_gprs (all but RSP; RAX only where with_rax: VMX's). */
void emu_regs_from_gprs(struct emu_regs *r, const struct arch_gprs *g, bool with_rax);
void emu_regs_to_gprs(const struct emu_regs *r, struct arch_gprs *g, bool with_rax);

/* Recompute cpu->slow after arming or clearing a watch. */
static inline void emu_watch_update(struct emu_cpu *cpu)
{
	cpu->slow = cpu->stop != EMU_STOP_NONE || cpu->watch_iret_rip || cpu->watch_shadow ||
		    cpu->watch_popf;
}
/* Correct the clock for the part of the current block that did not retire. */
void emu_engine_unretire(struct emu_cpu *cpu, uint64_t rip);
/* Put a code hook on la (once); 1 if added now, 0 if there already, -1 if full. */
int emu_engine_add_trap_site(struct emu_cpu *cpu, uint64_t la);

#endif
