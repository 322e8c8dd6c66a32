package io.antpool.server.impl;

/**
 * What a task is written in, and so which slots may run it: Java tasks (from {@code antpool.v2} clients) run on
 * Java worker slots only, Python tasks (from clients of the original Python protocol, v1) on v1 resource clients
 * only. A client's tasks all have its language.
 */
enum Language {
  JAVA,
  PYTHON
}
