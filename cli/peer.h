/* SPDX-License-Identifier: MIT */
/*
 * Peer platforms: emulators that boot the hardware image, each through the
 * launcher hw/ owns for it (hw/run-qemu.sh, hw/run-bochs.sh: LAUNCHER IMAGE
 * CMDLINE, the serial port on stdout, the image's exit code as status), so
 * vxemu and a person at a shell boot it the same way.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_PEER_H
#define VX_CLI_PEER_H

#include <stddef.h>

#include "proc.h"

#define VX_PATH_MAX 4096

/* What vxemu knows of one peer; the launcher knows the rest. */
struct vx_peer_kind {
	const char *name;          /* in messages: "QEMU" */
	const char *platform;      /* the --platform word: "qemu" */
	const char *program_env;   /* where the launcher reads the emulator's name */
	const char *program;       /* the emulator when that is unset */
	const char *packages;      /* the Debian packages that bring it */
	const char *launcher;      /* the script in hw/ */
	const char *timeout_env;   /* the launcher's own deadline, in seconds */
	double suite_timeout_s;    /* vxemu's deadline for a whole suite */
	const char *traced_timeout; /* timeout_env's value for a traced suite */
	const char *default_image; /* what the build makes for it */
	const char *image_hint;    /* how to get it, when it is missing */
};

/* QEMU TCG with SVM (-kernel takes the multiboot ELF). */
extern const struct vx_peer_kind vx_peer_qemu;
/* Bochs, from the boot ISO (it has no multiboot loader); VMX or SVM by
 * VXEMU_BOCHS_VENDOR. */
extern const struct vx_peer_kind vx_peer_bochs;

struct vx_peer {
	const struct vx_peer_kind *kind;
	char program[VX_PATH_MAX]; /* the emulator, found in $PATH */
	char script[VX_PATH_MAX];  /* the launcher */
	char image[VX_PATH_MAX];   /* what the launcher boots */
};

/* The launcher's file name, for messages ("run-qemu.sh"). */
const char *vx_peer_launcher_name(const struct vx_peer_kind *kind);

/*
 * Finds the emulator, the launcher and the image (image NULL: the
 * default). Returns 0, or -1 with a sentence for the user in err saying
 * what is missing.
 */
int vx_peer_locate(const struct vx_peer_kind *kind, const char *image, struct vx_peer *p,
		   char *err, size_t errlen);

/* Boots the image with this kernel command line; see vx_proc_run. */
int vx_peer_boot(const struct vx_peer *p, const char *cmdline, double timeout_s,
		 struct vx_proc_result *r);

#endif
