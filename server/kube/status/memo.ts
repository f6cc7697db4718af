/**
 * The cache stores a new object for every resourceVersion it receives, so memoising on object
 * identity is memoising per resourceVersion, and entries go away with the objects.
 */
export function memoisePerObject<T extends object, R>(derive: (object: T) => R): (object: T) => R {
  const memo = new WeakMap<T, R>();
  return (object) => {
    let result = memo.get(object);
    if (result === undefined) {
      result = derive(object);
      memo.set(object, result);
    }
    return result;
  };
}
