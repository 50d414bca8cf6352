/* SPDX-License-Identifier: MIT */
/*
 * The end of a run. Under QEMU the isa-debug-exit device ends the emulator
 * with status (code << 1) | 1; on a machine without it the port write does
 * nothing, so the image says how it ended and halts.
 */
#include "hw.h"
#include "hw_asm.h"

void hw_exit(enum hw_exit_code code)
{
	hw_outl(HW_DEBUG_EXIT_PORT, code);
	hw_printf("# vxemu-hw: finished with exit code %u; halted\n", (unsigned)code);
	for (;;)
		__asm__ volatile("cli; hlt");
}
