"""Model families: the code a group of models shares, named by each model module's ``FAMILY``.

Each family is a package ``genzoo.families.<family>`` whose ``pipeline`` module exposes
``train``, ``sample`` and ``evaluate``, each called as ``(module, run)`` with the model
module and its ``genzoo.runs.Run``. A family never imports the model registry: the stage
hands it the model. dvc.yaml lists the family's directory as a dependency of its models'
stages, so editing one family re-runs that family's models and no others.
"""
