namespace Flows.Generator.Model;

/// <summary>What the per-assembly task registry and serializers file hold.</summary>
/// <param name="Namespace">The generated namespace, <c>Flows.Generated.&lt;assembly&gt;</c>.</param>
/// <param name="Tasks">Every task the emitted flows call that the registry can reach, once each, by id.</param>
/// <param name="Shapes">Every serializable type those tasks pass, once each, by key.</param>
internal sealed record RegistryModel(
    string Namespace,
    EquatableArray<TaskModel> Tasks,
    EquatableArray<TypeShapeModel> Shapes);
