// Test fixture: the smallest bundle with the shape of the real one. Each test appends
// `var handlers = {...}`; dispatch JSON-decodes the argument, calls the handler and
// JSON-encodes what it returns (awaiting it when it is a promise).
function host(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    return JSON.parse(__host_call(name, JSON.stringify(args)));
}

var __plugin = {
    dispatch: function (hook, argJSON) {
        var handler = handlers[hook];
        if (!handler) {
            return 'null';
        }
        var result = handler(JSON.parse(argJSON));
        if (result && typeof result.then === 'function') {
            return result.then(function (value) {
                return JSON.stringify(value === undefined ? null : value);
            });
        }
        return JSON.stringify(result === undefined ? null : result);
    },
};
