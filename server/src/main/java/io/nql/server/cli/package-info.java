/**
 * The {@code nql} command line: one picocli command per subcommand, each a thin caller of the
 * engine.
 */
package io.nql.server.cli;
