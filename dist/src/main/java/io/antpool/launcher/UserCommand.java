package io.antpool.launcher;

import io.antpool.server.auth.PasswordHash;
import io.antpool.server.auth.UserRole;
import io.antpool.server.auth.UsersFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code antpool user add NAME --role submit [--role work] [--file users.json]}: makes a user of {@code users}
 * mode. The password is read from the console (asked twice), or as the first line of standard input when there
 * is no console (scripts); never from the command line, where other users of the machine could see it. Prints
 * the entry for the users file, and with {@code --file} writes it there (adding or replacing the user).
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the users of auth users mode.",
    subcommands = UserCommand.Add.class)
final class UserCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("usage: antpool user add NAME --role submit|work|admin [--role ...] [--file users.json]");
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user (or set its password and"
      + " roles): reads the password from the console or standard input, prints the users-file entry.")
  static final class Add implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The user name.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "submit (clients), work"
        + " (workers) or admin (the dashboard from other machines); repeatable.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE", description = "The users file to write the user into (made if"
        + " absent, readable by you only); without it the entry is only printed.")
    Path file;

    @Override
    public Integer call() {
      EnumSet<UserRole> set = EnumSet.noneOf(UserRole.class);
      char[] password = null;
      try {
        for (String role : roles) {
          set.add(UserRole.parse(role));
        }
        if (name == null || name.isBlank() || name.contains(":")) {
          throw new IllegalArgumentException("a user name must not be empty nor contain ':' (HTTP Basic's separator)");
        }
        password = readPassword();
        UsersFile.User user = new UsersFile.User(name, PasswordHash.hash(password), set);
        if (file != null) {
          UsersFile.put(file, user);
          System.out.println("user " + name + " written to " + file);
        } else {
          System.out.println("Put this entry in the \"users\" object of the users file (usersFile):");
        }
        System.out.println(UsersFile.entry(user));
        return 0;
      } catch (IllegalArgumentException | UncheckedIOException e) {
        System.err.println("antpool user add: " + e.getMessage());
        return 2;
      } finally {
        PasswordHash.wipe(password);
      }
    }

    private static char[] readPassword() {
      Console console = System.console();
      if (console != null) {
        char[] first = console.readPassword("password: ");
        char[] again = console.readPassword("password again: ");
        try {
          if (first == null || !Arrays.equals(first, again)) {
            throw new IllegalArgumentException("the two passwords differ; run the command again");
          }
        } finally {
          PasswordHash.wipe(again);
        }
        return checked(first);
      }
      try {
        // no console (a script, a pipe): the first line of standard input
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return checked(line == null ? new char[0] : line.toCharArray());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the password from standard input", e);
      }
    }

    private static char[] checked(char[] password) {
      if (password.length < 8) {
        throw new IllegalArgumentException("the password must have at least 8 characters");
      }
      return password;
    }
  }
}
