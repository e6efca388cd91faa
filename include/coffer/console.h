/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console server's protocol (user/console; docs/services.md "Serial console"). A request is
 * an ipc_call with the label below; the reply's label is an l4_err_t (L4_OK or why it was
 * refused) and its words are the request's results.
 */
#ifndef COFFER_CONSOLE_H
#define COFFER_CONSOLE_H

#define CONSOLE_WRITE  1 /* extended buffer: text to print; reply m0: bytes printed */
#define CONSOLE_STOP   2 /* the server stops; only badge N of args "stop=N" (else L4_ERIGHTS) */
#define CONSOLE_READ   3 /* m0: at most this many bytes (1..L4_EXT_MAX), m1: flags; reply m0: */
                         /* bytes read, in the extended reply */
#define CONSOLE_MODE   4 /* m0: CONSOLE_LINE or CONSOLE_RAW; reply m0: the mode before */
#define CONSOLE_GIVE   5 /* m0: badge of the new owner (0: none); a waiting read ends L4_ERIGHTS */
#define CONSOLE_STATUS 6 /* reply m0: bytes buffered, m1: dropped, m2: owner, m3: flags */

#define CONSOLE_NONBLOCK 1 /* CONSOLE_READ flag: return what is there now, maybe nothing */

#define CONSOLE_LINE 0 /* input is edited a line at a time, echoed; reads end at '\n' */
#define CONSOLE_RAW  1 /* bytes as they come, no echo */

#define CONSOLE_RAW_MODE     (1u << 0) /* CONSOLE_STATUS m3: the mode is raw */
#define CONSOLE_READ_WAITING (1u << 1) /* CONSOLE_STATUS m3: a read waits for input */
#define CONSOLE_RX_SIZE      256       /* input bytes the server keeps for its owner */
#define CONSOLE_LINE_MAX     128       /* longest line being edited, its '\n' included */

#endif
