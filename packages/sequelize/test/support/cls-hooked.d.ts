declare module 'cls-hooked' {
  /** The subset of cls-hooked used by Sequelize.useCLS in the tests. */
  export function createNamespace(name: string): any;
}
