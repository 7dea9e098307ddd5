using System.Reflection;
using System.Runtime.ExceptionServices;

namespace NetGen.Tests.Networks;

/// <summary>Finds the test networks and calls generic test bodies for one of them by name.</summary>
internal static class NetworkCatalog
{
    public static IEnumerable<Type> All =>
        typeof(NetworkCatalog).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(NetworkCatalog).Namespace && t.GetCustomAttribute<NetworkAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var type in All) data.Add(type.Name);
        return data;
    }

    public static Type Find(string name) =>
        All.SingleOrDefault(t => t.Name == name) ?? throw new ArgumentException("No test network named " + name);

    /// <summary>Calls <c>owner.method&lt;network&gt;()</c>, rethrowing the test's own exception.</summary>
    public static void Invoke(Type owner, string method, string network)
    {
        var generic = owner.GetMethod(method, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(owner.Name, method);
        try
        {
            generic.MakeGenericMethod(Find(network)).Invoke(null, null);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
        }
    }
}
